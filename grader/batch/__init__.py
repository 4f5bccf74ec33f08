"""TA batch grading: a whole course's submissions in one command (`grade batch`)."""
