// Checkpoint module: see README.md.
