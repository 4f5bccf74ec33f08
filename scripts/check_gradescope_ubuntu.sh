#!/usr/bin/env bash
# Manual check that the Gradescope autograder zip works on a stock Ubuntu 22.04 (jammy), the base
# image Gradescope builds autograders on. NOT part of the test suite: it needs root, network access
# to Ubuntu's archive and PyPI, and several minutes.
#
#   sudo scripts/check_gradescope_ubuntu.sh [DIR]        (DIR defaults to /var/tmp/jammy-root)
#
# What it does:
#   1. debootstraps a minimal jammy (variant minbase) into DIR/base, once: later runs reuse it.
#      Its apt sources are those of Docker's ubuntu:22.04 image, which Gradescope's base image is
#      built from (jammy, jammy-updates, jammy-backports, jammy-security; all components).
#      Gradescope's image has more packages installed: the minimal one is the stricter test.
#   2. builds the zip from this checkout (`grade gradescope build`), copies DIR/base to a fresh
#      DIR/run (so setup.sh always meets a stock image) and unpacks the zip into
#      DIR/run/autograder/source, as Gradescope does.
#   3. runs `bash /autograder/source/setup.sh` as root in DIR/run, timed.
#   4. grades each example submission (submissions/genmodels/*.py, as answers.py) with
#      /autograder/run_autograder and checks results.json: valid JSON, status "graded", the score of
#      the golden report (tests/golden) and of the same zip graded on this host, and the isolation
#      level. Each submission is graded twice:
#        container  DIR/run is the root of its own mount namespace (unshare + pivot_root), as in a
#                   container that allows user namespaces: strict isolation (bubblewrap) expected.
#        chroot     a plain chroot into DIR/run: the kernel refuses user namespaces to a chrooted
#                   process (unshare(CLONE_NEWUSER) fails with EPERM), so bubblewrap cannot run and
#                   `auto` must pick the user level (the submission as the sandbox
#                   user, no namespaces), as in a container that forbids user namespaces (Docker's
#                   default seccomp profile does).
#   5. prints a table and exits 1 on any mismatch.
#
# Every mount is made inside a private mount namespace (unshare --mount), so nothing stays mounted
# on the host, even if the script is interrupted. DIR/run, DIR/logs and DIR/host (the same zip in a
# fake /autograder on this host) are kept for inspection and rebuilt by the next run; DIR/base is
# kept for reuse (delete DIR to start over).
set -euo pipefail

DIR=${1:-/var/tmp/jammy-root}
MIRROR=${MIRROR:-http://archive.ubuntu.com/ubuntu}
SLUG=genmodels
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The Python this checkout is installed in (pip install -e), and its `grade` script (not a shim).
PY=${PY:-python3}
# The isolation level each mode must give (see above).
declare -A EXPECTED_ISOLATION=([container]=strict [chroot]=user)

say() { printf '\n== %s\n' "$*"; }
die() { echo "ERROR: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || die "run as root (debootstrap, chroot and mount namespaces need it)"
GRADE=$("$PY" -c 'import grader, sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null)/grade \
    || die "$PY cannot import grader: pip install -e $REPO, or set PY=/path/to/its/python"
[ -x "$GRADE" ] || die "no grade script at $GRADE"
for tool in unshare pivot_root chroot unzip curl gpg dpkg-deb column; do
    command -v "$tool" >/dev/null || die "$tool is missing"
done
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
mkdir -p "$DIR/logs"
LOGS=$DIR/logs
df -h "$DIR" | sed 's/^/   /'

# -- 1. the jammy tree ---------------------------------------------------------------------------

# Ubuntu's archive key. Debian 12 packages no ubuntu-keyring, so fetch Ubuntu's own package over
# HTTPS from the archive and check it against a pinned hash (taken from jammy's main Packages index,
# verified against the Release file signed by the Ubuntu Archive Automatic Signing Key (2018),
# fingerprint F6EC B376 2474 EDA9 D21B 7022 8719 20D1 991B C93C, when this script was written).
# Where the host has Ubuntu's keyring installed, that is used instead.
KEYRING=/usr/share/keyrings/ubuntu-archive-keyring.gpg
if [ ! -s "$KEYRING" ]; then
    KEYRING=$DIR/keyring/usr/share/keyrings/ubuntu-archive-keyring.gpg
    if [ ! -s "$KEYRING" ]; then
        say "fetching Ubuntu's archive keyring"
        deb=$DIR/keyring/ubuntu-keyring_2021.03.26_all.deb
        mkdir -p "$DIR/keyring"
        curl -fsS -m 120 -o "$deb" \
            https://archive.ubuntu.com/ubuntu/pool/main/u/ubuntu-keyring/ubuntu-keyring_2021.03.26_all.deb
        echo "0d0e7ed6b112f5d03eabf3c7eb01ebdacf9c57714b279e90495cfc58c8c4520f  $deb" | sha256sum -c --quiet
        dpkg-deb -x "$deb" "$DIR/keyring"
    fi
fi
gpg --no-default-keyring --keyring "$KEYRING" --with-colons --fingerprint 2>/dev/null \
    | grep -q F6ECB3762474EDA9D21B7022871920D1991BC93C || die "$KEYRING lacks Ubuntu's 2018 archive key"

BASE=$DIR/base
if [ ! -f "$BASE/.debootstrap-complete" ]; then
    say "debootstrap jammy (minbase) into $BASE (log: $LOGS/debootstrap.log)"
    rm -rf "$BASE"
    start=$(date +%s)
    debootstrap --variant=minbase --components=main,universe --keyring="$KEYRING" \
        jammy "$BASE" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1 \
        || { tail -20 "$LOGS/debootstrap.log"; die "debootstrap failed (log: $LOGS/debootstrap.log)"; }
    # The apt sources of Docker's ubuntu:22.04 image, which Gradescope's base image is built from.
    # jammy-updates matters: python3.11 exists only there.
    cat >"$BASE/etc/apt/sources.list" <<EOF
deb $MIRROR/ jammy main restricted universe multiverse
deb $MIRROR/ jammy-updates main restricted universe multiverse
deb $MIRROR/ jammy-backports main restricted universe multiverse
deb http://security.ubuntu.com/ubuntu/ jammy-security main restricted universe multiverse
EOF
    echo "debootstrapped in $(( $(date +%s) - start )) s on $(date -u +%F)" | tee "$BASE/.debootstrap-complete"
else
    say "reusing $BASE ($(cat "$BASE/.debootstrap-complete"))"
fi

# -- 2. the zip, unpacked as Gradescope does -----------------------------------------------------

say "building the zip from $REPO"
(cd "$REPO" && "$GRADE" gradescope build --assignment "$SLUG" --out "$DIR/autograder.zip") | sed -n 1p   # sed reads all: no SIGPIPE

RUN=$DIR/run
rm -rf "$RUN"
cp -a "$BASE" "$RUN"
rm -f "$RUN/.debootstrap-complete"
mkdir -p "$RUN/autograder/source" "$RUN/autograder/results" "$RUN/autograder/submission"
unzip -q "$DIR/autograder.zip" -d "$RUN/autograder/source"      # unzip restores the mode bits
cp "$RUN/autograder/source/run_autograder" "$RUN/autograder/run_autograder"
cp -L /etc/resolv.conf "$RUN/etc/resolv.conf"
# Not Gradescope's doing: this host may reach PyPI through a TLS-intercepting proxy whose CA is in
# its /usr/local/share/ca-certificates; give the image the same CAs (ca-certificates, which
# setup.sh installs, adds them to the image's store). Without such a proxy this copies nothing.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$RUN/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$RUN/usr/local/share/ca-certificates/"
fi

# DIR/in-image MODE ROOT COMMAND...: run COMMAND (from /autograder) as root in ROOT with a clean
# environment, in private mount, PID, IPC and UTS namespaces (like a container), with /proc, /sys,
# /dev and /dev/pts mounted; the mounts vanish with the namespace. MODE container: ROOT becomes the
# namespace's root (pivot_root); MODE chroot: a plain chroot into it. A file, for /usr/bin/time.
IN_IMAGE=$DIR/in-image
cat >"$IN_IMAGE" <<'EOF'
#!/bin/bash
# Written by scripts/check_gradescope_ubuntu.sh: in-image MODE ROOT COMMAND...
exec unshare --mount --pid --ipc --uts --fork --propagation private /bin/bash -c '
    set -e
    mode=$1 root=$2; shift 2
    mount --bind "$root" "$root"
    mount -t proc proc "$root/proc"
    mount --bind /sys "$root/sys"
    mount --bind /dev "$root/dev"
    mount --bind /dev/pts "$root/dev/pts"
    run=(/usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
         LANG=C.UTF-8 TERM=dumb /bin/bash -c "cd /autograder && exec \"\$@\"" in-image "$@")
    if [ "$mode" = chroot ]; then exec chroot "$root" "${run[@]}"; fi
    cd "$root"; mkdir -p .old-root; pivot_root . .old-root
    cd /; umount -l /.old-root; rmdir /.old-root
    exec "${run[@]}"
' in-image "$@"
EOF
chmod 755 "$IN_IMAGE"

# -- 3. setup.sh ---------------------------------------------------------------------------------

say "running setup.sh in the image, as Gradescope does (log: $LOGS/setup.log)"
if ! /usr/bin/time -f '%e %M' -o "$LOGS/setup.time" "$IN_IMAGE" container "$RUN" \
        /bin/bash -c 'cd /autograder/source && bash /autograder/source/setup.sh' >"$LOGS/setup.log" 2>&1; then
    grep -v 'Reading database' "$LOGS/setup.log" | tail -30
    die "setup.sh failed (log: $LOGS/setup.log)"
fi
read -r SETUP_WALL SETUP_RSS <"$LOGS/setup.time"
grep -E '^(Installed bubblewrap|isolation:|Trial run|Autograder for)' "$LOGS/setup.log" | sed 's/^/   /'
echo "   setup.sh: ${SETUP_WALL} s wall; peak RSS of its largest process $(( SETUP_RSS / 1024 )) MiB"
echo "   python: $("$IN_IMAGE" container "$RUN" /autograder/venv/bin/python -V 2>&1);" \
     "bubblewrap: $("$IN_IMAGE" container "$RUN" bwrap --version 2>&1) ($("$IN_IMAGE" container "$RUN" /bin/bash -c 'command -v bwrap'))"
for mode in container chroot; do
    printf '   grade sandbox check (%s): ' "$mode"
    "$IN_IMAGE" "$mode" "$RUN" /autograder/venv/bin/grade sandbox check 2>&1 | tr '\n' ' ' | cut -c1-220   # cut ends the line
done

# -- 4. the example submissions ------------------------------------------------------------------

# A plausible submission_metadata.json (the shape of tests/test_gradescope_run.py's sample).
cat >"$RUN/autograder/submission_metadata.json" <<'EOF'
{"id": 987654, "created_at": "2026-11-20T10:00:00.123456-05:00",
 "assignment": {"due_date": "2026-11-25T23:59:00.000000-05:00", "late_due_date": null, "group_size": null,
                "group_submission": false, "id": 25828, "course_id": 1234, "release_date": null,
                "title": "Problem set 3", "total_points": "100.0"},
 "submission_method": "upload",
 "users": [{"email": "ada@example.edu", "id": 1234, "name": "Ada Lovelace"}],
 "previous_submissions": []}
EOF

# The same zip graded on this host in a fake /autograder with this checkout's `grade`, at the
# process level (as the test suite does): the scores the image must reproduce.
say "grading the examples on this host (fake /autograder, process level)"
HOST=$DIR/host
rm -rf "$HOST"
mkdir -p "$HOST/source" "$HOST/venv/bin"
unzip -q "$DIR/autograder.zip" -d "$HOST/source"
ln -s "$GRADE" "$HOST/venv/bin/grade"
cp "$RUN/autograder/submission_metadata.json" "$HOST/"
"$PY" -m grader.gradescope.precompute --course "$HOST/source" --assignment "$SLUG" | sed 's/^/   /'
declare -A HOST_SCORE
for file in "$REPO"/submissions/$SLUG/*.py; do
    name=$(basename "$file" .py)
    rm -rf "$HOST/submission" "$HOST/results"
    mkdir -p "$HOST/submission" "$HOST/results"
    cp "$file" "$HOST/submission/answers.py"
    AUTOGRADER_ROOT=$HOST AUTOGRADER_VENV=$HOST/venv AUTOGRADER_ISOLATION=process \
        "$HOST/source/run_autograder" >"$LOGS/host-$name.log" 2>&1
    HOST_SCORE[$name]=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["score"])' \
                        "$HOST/results/results.json")
done

# check RESULTS NAME MODE HOST_SCORE WALL RSS: print one table row (tab-separated); fail on a mismatch.
check() {
    "$PY" - "$@" "$REPO/tests/golden/$2.json" "${EXPECTED_ISOLATION[$3]}" <<'PY'
import json, math, sys
results, name, mode, host, wall, rss, golden, want_isolation = sys.argv[1:9]
expected = {"perfect": 100.0, "template": 0.0}.get(name, json.load(open(golden))["earned"])
try:
    data = json.load(open(results))
    score = float(data["score"])
    grader = data["extra_data"]["grader"]
    status, isolation = grader["status"], grader["isolation"]
except Exception as exc:  # missing or invalid results.json
    score, status, isolation = float("nan"), f"invalid-results.json({type(exc).__name__})", "?"
ok = (math.isclose(score, expected, abs_tol=1e-6) and math.isclose(score, float(host), abs_tol=1e-6)
      and status == "graded" and isolation == want_isolation)
print("\t".join([name, mode, f"{score:g}", f"{expected:g}", f"{float(host):g}", f"{isolation} ({want_isolation})",
                 status, f"{float(wall):.2f}", str(int(rss) // 1024), "ok" if ok else "MISMATCH"]))
sys.exit(0 if ok else 1)
PY
}

say "grading the examples in the image"
ROWS=$LOGS/table.tsv
printf 'submission\tmode\tscore\texpected\thost\tisolation (expected)\tstatus\twall s\tRSS MiB\tcheck\n' >"$ROWS"
failed=0
for mode in container chroot; do
    for file in "$REPO"/submissions/$SLUG/*.py; do
        name=$(basename "$file" .py)
        rm -rf "$RUN/autograder/submission" "$RUN/autograder/results"
        mkdir -p "$RUN/autograder/submission" "$RUN/autograder/results"
        cp "$file" "$RUN/autograder/submission/answers.py"
        /usr/bin/time -f '%e %M' -o "$LOGS/run.time" "$IN_IMAGE" "$mode" "$RUN" /autograder/run_autograder \
            >"$LOGS/run-$mode-$name.log" 2>&1 || true
        read -r wall rss <"$LOGS/run.time"
        cp "$RUN/autograder/results/results.json" "$LOGS/results-$mode-$name.json" 2>/dev/null || true
        check "$RUN/autograder/results/results.json" "$name" "$mode" "${HOST_SCORE[$name]}" "$wall" "$rss" \
            >>"$ROWS" || failed=1
    done
done

say "results on Ubuntu 22.04 (wall: run_autograder timed from outside; RSS: peak of its largest process)"
column -t -s $'\t' "$ROWS"
echo
echo "setup.sh: ${SETUP_WALL} s wall; disk: image after setup $(du -sh "$RUN" | cut -f1)," \
     "stock jammy minbase $(du -sh "$BASE" | cut -f1)"
echo "logs, the table and every results.json: $LOGS"
if [ "$failed" != 0 ]; then
    echo "FAILED: some submission did not give its expected result (see the table and $LOGS)" >&2
    exit 1
fi
echo "OK: every example gives its expected score and isolation level on Ubuntu 22.04."
