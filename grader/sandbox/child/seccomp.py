"""A seccomp-BPF filter for submissions, assembled here (no libseccomp binding needed).

The filter is a deny list on x86-64: system calls a graded answer never needs and an attacker would
use (network sockets, ptrace and cross-process memory access, file-system watches, mounts and new
namespaces, kernel modules, BPF, keyrings, ...) fail with EPERM; everything else is allowed. Any
other architecture, or the x32 ABI, kills the process: numbers would not mean the same calls.

The same bytes serve every launch path: bubblewrap reads them from a file descriptor (`--seccomp
FD`); a forked warm child, and a child at the user level, load them with prctl (`load_filter`).
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import struct

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];
OFFSET_NR, OFFSET_ARCH, OFFSET_ARG0_LOW = 0, 4, 16

BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_JGE_K = 0x35
BPF_JSET_K = 0x45
BPF_RET_K = 0x06

RET_ALLOW = 0x7FFF0000
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000

# x86-64 numbers, from asm/unistd_64.h
DENIED = {
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311,
    "inotify_init": 253, "inotify_init1": 294, "inotify_add_watch": 254,
    "fanotify_init": 300, "fanotify_mark": 301,
    "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161, "unshare": 272, "setns": 308,
    "mount_setattr": 442, "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431,
    "fsmount": 432, "fspick": 433,
    "kexec_load": 246, "kexec_file_load": 320, "init_module": 175, "finit_module": 313,
    "delete_module": 176, "reboot": 169, "swapon": 167, "swapoff": 168, "iopl": 172, "ioperm": 173,
    "acct": 163, "settimeofday": 164, "personality": 135,
    "bpf": 321, "perf_event_open": 298, "userfaultfd": 323,
    "keyctl": 250, "add_key": 248, "request_key": 249,
    "open_by_handle_at": 304, "name_to_handle_at": 303,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
}
SYS_SOCKET, SYS_CLONE, SYS_CLONE3 = 41, 56, 435
ALLOWED_SOCKET_DOMAINS = (1,)  # AF_UNIX only: no AF_INET(6), AF_NETLINK, AF_PACKET, ...
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
CLONE_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> tuple[int, int, int, int]:
    return (code, jt, jf, k)


def _errno(code: int) -> int:
    return RET_ERRNO | (code & 0xFFFF)


def program() -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions."""
    deny_eperm = _errno(errno.EPERM)
    insns = [
        _insn(BPF_LD_W_ABS, OFFSET_ARCH),
        _insn(BPF_JEQ_K, AUDIT_ARCH_X86_64, jt=1, jf=0),
        _insn(BPF_RET_K, RET_KILL_PROCESS),
        _insn(BPF_LD_W_ABS, OFFSET_NR),
        _insn(BPF_JGE_K, X32_SYSCALL_BIT, jt=0, jf=1),
        _insn(BPF_RET_K, RET_KILL_PROCESS),
    ]
    for number in sorted(DENIED.values()):
        insns += [_insn(BPF_JEQ_K, number, jt=0, jf=1), _insn(BPF_RET_K, deny_eperm)]
    # clone3 passes its flags in memory, which a filter cannot read: ENOSYS makes libc use clone.
    insns += [_insn(BPF_JEQ_K, SYS_CLONE3, jt=0, jf=1), _insn(BPF_RET_K, _errno(errno.ENOSYS))]
    # clone(flags, ...): refuse new namespaces.
    insns += [
        _insn(BPF_JEQ_K, SYS_CLONE, jt=0, jf=3),
        _insn(BPF_LD_W_ABS, OFFSET_ARG0_LOW),
        _insn(BPF_JSET_K, CLONE_NAMESPACE_FLAGS, jt=0, jf=1),
        _insn(BPF_RET_K, deny_eperm),
        _insn(BPF_LD_W_ABS, OFFSET_NR),
    ]
    # socket(domain, ...): only AF_UNIX.
    checks = len(ALLOWED_SOCKET_DOMAINS)
    insns += [_insn(BPF_JEQ_K, SYS_SOCKET, jt=0, jf=checks + 2), _insn(BPF_LD_W_ABS, OFFSET_ARG0_LOW)]
    for i, domain in enumerate(ALLOWED_SOCKET_DOMAINS):
        insns.append(_insn(BPF_JEQ_K, domain, jt=checks - i, jf=0))
    insns.append(_insn(BPF_RET_K, _errno(errno.EACCES)))
    insns.append(_insn(BPF_RET_K, RET_ALLOW))
    return insns


def compiled() -> bytes:
    """The filter as the array of struct sock_filter that the kernel and bwrap expect."""
    return b"".join(struct.pack("<HBBI", *insn) for insn in program())


def supported() -> bool:
    """The filter's numbers are x86-64's: elsewhere it is not loaded (the level says so)."""
    return os.uname().machine in ("x86_64", "amd64")


PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


@functools.lru_cache(maxsize=1)
def prepared() -> tuple[ctypes.CDLL, ctypes.Array[ctypes.c_char], _SockFprog]:
    """libc and the filter program, built once. Call it in the parent before a fork: a child forked
    from a process with threads must not load libraries or allocate much before it execs."""
    libc = ctypes.CDLL(None, use_errno=True)
    code = compiled()
    buffer = ctypes.create_string_buffer(code, len(code))
    return libc, buffer, _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))


def load_filter() -> None:
    """Load the filter into this process (and every process it will start). Irreversible."""
    libc, _, prog = prepared()
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")
