#!/bin/sh
# The fast airlock hook client: sh airlock-hook.sh NODE .../airlock-hook.mjs CLI [--timeout S] [--policy FILE]
#
# The arguments are the slow hook's own command line. The call (stdin, directory, CLI and the
# variables below) goes to `airlock hook-daemon` over its Unix socket; its answer is printed and
# becomes the exit status. No daemon, no curl, or a daemon that refuses the call (an HTTP error):
# the slow command answers instead, and a daemon is started for the next calls. A daemon that times out or answers something unreadable: the
# slow command is run only to deny the call in the CLI's own form. Nothing here lets a tool run.

die() {
	printf 'airlock hook: %s; the tool call is denied.\n' "$1" >&2
	exit 2
}

[ $# -ge 3 ] || die "usage: airlock-hook.sh NODE ENTRY CLI [--timeout SECONDS] [--policy FILE]"
cli=$3
timeout=
policy=${AIRLOCK_POLICY-}
prev=
for arg in "$@"; do
	case $prev in
	--timeout) timeout=$arg ;;
	--policy) policy=$arg ;;
	esac
	prev=$arg
done

input=$(cat; echo .) || die "cannot read the hook input"
input=${input%.}

# The slow command: the answer itself, or (with --deny-because) the CLI's form of a denial.
fallback() {
	printf '%s' "$input" | "$@"
	status=$?
	[ $status -lt 126 ] || die "cannot run $1 (exit $status)"
	exit $status
}

# No daemon yet: start one for the next calls (detached from the CLI; it exits when idle or when
# another took the socket), and answer this call with the slow command.
start_daemon() {
	case $2 in
	*/airlock-hook.mjs) ;;
	*) return 0 ;;
	esac
	[ -x "$1" ] || return 0
	if command -v setsid >/dev/null 2>&1; then
		AIRLOCK_HOOK_SOCKET=$sock setsid "$1" "$2" --daemon </dev/null >/dev/null 2>&1 &
	else
		AIRLOCK_HOOK_SOCKET=$sock nohup "$1" "$2" --daemon </dev/null >/dev/null 2>&1 &
	fi
}

sock=${AIRLOCK_HOOK_SOCKET:-${XDG_RUNTIME_DIR:+$XDG_RUNTIME_DIR/airlock/hook.sock}}
sock=${sock:-$HOME/.cache/airlock/hook.sock}
command -v curl >/dev/null 2>&1 || fallback "$@"
[ -S "$sock" ] || {
	start_daemon "$@"
	fallback "$@"
}

# Wait for the daemon until 2 s before the CLI's own timeout (default 30 s), then deny.
case $timeout in
'' | *[!0-9]*) max=27 ;;
*) max=$((timeout > 5 ? timeout - 2 : 3)) ;;
esac

# The variables the hook reads (src/ingress/hooks/daemon.ts FORWARDED_ENV lists the same).
var() {
	eval "set=\${$1+x} value=\${$1-}"
	[ -z "$set" ] || printf '%s=%s\000' "$1" "$value"
}
response=$(
	{
		printf 'airlock-hook/1\000%s\000%s\000%s\000' "$cli" "$timeout" "$PWD"
		for name in AIRLOCK_URL AIRLOCK_TOKEN AIRLOCK_WAIT_SECONDS AIRLOCK_HOOK_TIMEOUT_MS \
			AIRLOCK_ENVIRONMENT CLAUDE_PROJECT_DIR GEMINI_PROJECT_DIR \
			AIRLOCK_AGENT_PID CI GITHUB_ACTIONS GEMINI_CLI_INTEGRATION_TEST; do
			var "$name"
		done
		[ -z "$policy" ] || printf 'AIRLOCK_POLICY=%s\000' "$policy"
		printf '\000%s' "$input"
	} | curl -q -s -f --noproxy '*' --unix-socket "$sock" --max-time "$max" -H 'Expect:' \
		-H 'Content-Type: application/octet-stream' --data-binary @- http://airlock/v1/hook
)
status=$?
case $status in
0) ;;
7)
	# Nothing listening (a daemon that died): start another, answer through node.
	start_daemon "$@"
	fallback "$@"
	;;
22) fallback "$@" ;; # Refusing this call (e.g. its build was replaced).
28) fallback "$@" --deny-because "the airlock hook daemon did not answer within $max s (see \`airlock doctor\`)" ;;
*) fallback "$@" --deny-because "the airlock hook daemon failed (curl exit $status); restart it or see \`airlock doctor\`" ;;
esac

code= out= err= seen=
while IFS= read -r line; do
	case $seen:$line in
	:airlock-hook/1) seen=head ;;
	head:exit\ [0-9] | head:exit\ [0-9][0-9] | head:exit\ [0-9][0-9][0-9]) code=${line#exit } seen=exit ;;
	exit:stdout\ *) out=${line#stdout } seen=out ;;
	out:stderr\ *) err=${line#stderr } seen=err ;;
	err:end) seen=end ;;
	*) seen=bad ;;
	esac
done <<EOF
$response
EOF
[ "$seen" = end ] ||
	fallback "$@" --deny-because "the airlock hook daemon answered something unreadable; restart it or see \`airlock doctor\`"
printf '%b' "$out"
printf '%b' "$err" >&2
exit "$code"
