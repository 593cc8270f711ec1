# The performance benchmark (not part of `make test`: timings are read, not asserted).
# Spotlight, plain MkDocs + Material and Hugo side by side in one run; see bench/README.md.
#
#   make bench                                   1,000 and 10,000 creators (6-10 minutes on 2 cores)
#   make bench BENCH_CREATORS="50 200"           a quick look
#   make bench BENCH_OPTIONS="--repeat 5"        more runs per step at 1,000 creators and below

BENCH_CREATORS ?= 1000 10000
BENCH_OPTIONS ?=

.PHONY: bench

bench: install
	$(PY) -m bench --creators $(BENCH_CREATORS) $(BENCH_OPTIONS)
