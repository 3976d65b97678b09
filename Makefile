# kumihan: a thin wrapper over CMake so the usual commands work.
#   make            build build/kumihan (optimised, with debug info)
#   make pdf        out/NAME.pdf for every content/NAME.md
#   make epub       out/NAME.epub for every content/NAME.md (make pdf epub:
#                   both from one layout, kumihan pdf --epub)
#   make pdf epub STYLE=tategaki
#                   the same in styles/tategaki.yaml (vertical, 縦組み), as
#                   out/NAME-tategaki.pdf and .epub; any styles/S.yaml goes
#   make editions   out/editions/NAME-ID.pdf and .epub, one per recipient, for
#                   every manuscript with recipients (NAME.editions.yaml, or
#                   editions: in its front matter)
#   make test       build and run every test through CTest
#   make bench      the benchmark (bench/README.md)
#   make profile    instructions per stage, by callgrind (bench/profile)
#   make fuzz       the libFuzzer harnesses, FUZZ_SECONDS each (default 60)
#   make clean
BUILD ?= build
CMAKE_FLAGS ?=
KUMIHAN := $(BUILD)/kumihan
SOURCES := $(wildcard content/*.md)
STYLE ?=
SUFFIX := $(if $(STYLE),-$(STYLE))
STYLE_FLAG := $(if $(STYLE),-s styles/$(STYLE).yaml)
PDFS := $(patsubst content/%.md,out/%$(SUFFIX).pdf,$(SOURCES))
EPUBS := $(patsubst content/%.md,out/%$(SUFFIX).epub,$(SOURCES))
CORE := $(wildcard src/*.c src/*/*.c src/*.h src/*/*.h) CMakeLists.txt

.PHONY: all deps pdf epub editions test bench profile fuzz clean
all: $(KUMIHAN)

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	@scripts/install-deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

$(KUMIHAN): $(BUILD)/CMakeCache.txt $(CORE)
	cmake --build $(BUILD) -j2 --target kumihan

pdf: $(PDFS)
epub: $(EPUBS)

# each output also depends on the images its manuscript uses: kumihan
# writes them to out/NAME.pdf.d (--depfile, as gcc -MD)
ifneq ($(and $(filter pdf,$(MAKECMDGOALS)),$(filter epub,$(MAKECMDGOALS))),)
# make pdf epub: both from one layout (a pattern rule with two targets is
# run once for both)
out/%$(SUFFIX).pdf out/%$(SUFFIX).epub: content/%.md $(KUMIHAN) $(wildcard styles/*.yaml)
	$(KUMIHAN) pdf $(STYLE_FLAG) $< -o out/$*$(SUFFIX).pdf \
		--epub out/$*$(SUFFIX).epub --depfile out/$*$(SUFFIX).pdf.d
else
out/%$(SUFFIX).pdf: content/%.md $(KUMIHAN) $(wildcard styles/*.yaml)
	$(KUMIHAN) pdf $(STYLE_FLAG) $< -o $@ --depfile $@.d

out/%$(SUFFIX).epub: content/%.md $(KUMIHAN) $(wildcard styles/*.yaml)
	$(KUMIHAN) epub $(STYLE_FLAG) $< -o $@ --depfile $@.d
endif

-include $(wildcard out/*.d)

# the manuscripts with recipients: an editions file beside, or editions:
# in the front matter
EDITIONED := $(sort $(patsubst %.editions.yaml,%.md,$(wildcard content/*.editions.yaml)) \
	$(shell grep -l '^editions:' $(SOURCES) 2>/dev/null))

editions: $(KUMIHAN)
	@[ -n "$(EDITIONED)" ] || echo "make editions: no manuscript in content/ has recipients"
	@for md in $(EDITIONED); do \
		$(KUMIHAN) pdf --editions $$md && $(KUMIHAN) epub --editions $$md || exit 1; \
	done

test: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j2
	cd $(BUILD) && ctest --output-on-failure

bench: $(KUMIHAN)
	cmake --build $(BUILD) --target bench_linebreak
	bench/run

profile: $(KUMIHAN)
	bench/profile

fuzz:
	fuzz/run $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) build-ci build-asan build-fuzz out/*.pdf out/*.epub out/*.d out/editions
