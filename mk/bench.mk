# The performance benchmark (not part of `make test`: timings are read, not asserted).
#
#   make bench                          1,000 and 10,000 creators (about 6 minutes on 2 cores)
#   make bench BENCH_CREATORS="200 1000"

BENCH_CREATORS ?= 1000 10000

.PHONY: bench

bench: install
	$(PY) -m bench --creators $(BENCH_CREATORS)
