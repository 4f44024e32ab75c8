# minrepro: `make demo` and `make test` are the two commands of the README.
# Both install missing Debian packages (as root; otherwise they print the
# apt-get line and stop), configure and build first.
BUILD ?= build
JOBS ?= $(shell nproc)
PACKAGES := cmake make g++ libclang-14-dev libboost1.81-dev libtomlplusplus-dev doctest-dev \
            elfutils clang-format clang lld python3 cvise creduce

.PHONY: all deps build demo test clean

all: build

deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "missing packages; run as root:  apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# A real reduction of a bundled corpus case with the coarse AST passes (a few
# minutes); the full pass list is `$(BUILD)/reduce corpus/<case>/case.cpp`.
DEMO_CASE ?= corpus/global-dtor-cv-join/case.cpp
demo: build
	@mkdir -p $(BUILD)/demo
	$(BUILD)/reduce -j $(JOBS) --passes top-level-decls,class-members,function-bodies,statements,includes \
	  -o $(BUILD)/demo/case.min.cpp $(DEMO_CASE)
	@echo "--- $(BUILD)/demo/case.min.cpp:"; cat $(BUILD)/demo/case.min.cpp

test: build
	cd $(BUILD) && ctest --output-on-failure -j 2

clean:
	rm -rf $(BUILD)
