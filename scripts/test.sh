#!/usr/bin/env bash
# Sets up a fresh machine and runs the whole test suite.
# Usage: scripts/test.sh [extra `swift test` arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-2}
swift build --build-tests
swift test --skip-build "$@"
