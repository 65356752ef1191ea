# The README's commands. Everything the project needs is installed by scripts/install-deps.sh.
.PHONY: run test bench deps web build build-debug build-release format clean

DB ?= sqlite:./var/linli.db
PORT ?= 8080

run: deps web build-release
	./build/release/src/linli migrate --db $(DB)
	./build/release/src/linli seed-demo --db $(DB)
	@echo ""
	@echo "Open http://localhost:$(PORT) and sign in with one of the logins above."
	./build/release/src/linli serve --db $(DB) --port $(PORT) --web-root web/dist

test: deps web build-debug
	scripts/run-tests.sh

bench: deps build-release
	scripts/run-bench.sh

deps:
	scripts/install-deps.sh

web:
	cd web && npm run build --silent

build: build-release

build-debug:
	cmake --preset debug >/dev/null
	cmake --build --preset debug

build-release:
	cmake --preset release >/dev/null
	cmake --build --preset release --target linli

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build web/dist
