# list_server.sh - sourced by the store and update tests and bench/store_bench.sh: the loopback
# server that serves fixture list files (tests/fixtures/update/serve.py, with ETags, and the
# webhook receiver).
# start_list_server DIR PORTFILE SECRET [FAIL_FIRST_N_POSTS]: starts it in the background and
# waits for its port; sets LIST_PID and LIST_PORT.
start_list_server() {
    python3 "$(dirname "${BASH_SOURCE[0]}")/../fixtures/update/serve.py" "$1" "$2" "$3" "${4:-0}" &
    LIST_PID=$!
    for _ in $(seq 100); do [ -s "$2" ] && break; sleep 0.05; done
    LIST_PORT=$(cat "$2")
}
