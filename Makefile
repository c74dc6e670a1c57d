# SPDX-License-Identifier: GPL-2.0
#
# toytcp: a TCP variant on IP protocol 253 (see README.md).
#
#   make            build toytcp.ko here, against KDIR (default: the running
#                   kernel's build tree when it exists, else the test kernel)
#   make check      build for every target kernel, run KUnit and the VM tests
#   make check-long the same, with the hardening tests at full size
#   make demo       watch toytcp at work in the test VM; S=list lists the
#                   scenarios, S=NAME plays one with every segment decoded
#   make shell      a shell in the test VM with toytcp loaded
#   make bench      toytcp against Linux TCP in Debian's stock kernel: one
#                   table of figures, ratios and goals, CSV and curves
#   make kernel     build (or find cached) the test kernel
#   make clean      remove build products from the checkout
#
# The kernel's build system reads ./Kbuild, not this file, for the objects.

KDIR ?=
T ?=
S ?=

.PHONY: all modules check check-long demo shell kernel bench bench-prog clean

all: modules

modules:
	@scripts/build-module $(if $(KDIR),--kdir $(KDIR))

check:
	@scripts/check $(T)

check-long:
	@scripts/check --long $(T)

demo:
	@scripts/demo $(S)

shell:
	@scripts/vm-shell

kernel:
	@scripts/kernel-build

bench:
	@scripts/bench/run

# The bench program, where scripts/bench/run asks for it (BENCH_BIN).
BENCH_BIN ?= scripts/bench/bench
bench-prog: $(BENCH_BIN)

$(BENCH_BIN): scripts/bench/bench.c
	$(CC) -O2 -Wall -Wextra -Werror -pthread -o $@ $<

clean:
	rm -f *.ko *.o *.mod *.mod.c .*.cmd Module.symvers modules.order
	rm -f module/*.o module/.*.cmd kunit/*.o kunit/.*.cmd
	rm -rf .tmp_versions
	rm -f scripts/bench/bench
