// Data module: see README.md.
