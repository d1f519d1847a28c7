// Evaluation module: see README.md.
