# shellcheck shell=bash
# The fake Windows host behind a private OpenSSH sshd on 127.0.0.1, shared by e2e/openssh/run.sh,
# benchmarks/ssh.sh and benchmarks/agent-load.sh (sourced, not run; needs root: useradd, sshd).
# The caller defines fail (one line, exit non-zero) and removes the account, the folder and the sshd it started.

WINHOST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# winhost_account STATE ACCOUNT COMMENT PUBKEY...: a throw-away ACCOUNT (home STATE/home) whose login shell puts the
# stand-in Windows programs (winbin/: cmd, chcp, netsh, netstat, tasklist, sc.exe, powershell; they print the real
# captured outputs of outputs/) first on PATH, copied to STATE/win; the PUBKEY files become its authorized_keys.
# STATE must be a folder every account can traverse (mode 755).
winhost_account() {
	local state=$1 account=$2 comment=$3
	shift 3
	(($#)) || fail "winhost_account: no public key for $account"
	mkdir -p "$state/win"
	chmod 755 "$state" "$state/win"
	cp -r "$WINHOST_DIR/winbin" "$WINHOST_DIR/outputs" "$state/win/"
	chmod 755 "$state/win/winbin" "$state/win/outputs" "$state/win/winbin/"*
	chmod 644 "$state/win/outputs/"*
	cat >"$state/win/winsh" <<EOF
#!/bin/sh
# Login shell of the throw-away account: the fake Windows programs first on PATH, then plain /bin/sh.
PATH=$state/win/winbin:/usr/bin:/bin
export PATH
exec /bin/sh "\$@"
EOF
	chmod 755 "$state/win/winsh"
	useradd --home-dir "$state/home" --create-home --shell "$state/win/winsh" --comment "$comment" "$account"
	install -d -m 700 -o "$account" -g "$account" "$state/home/.ssh"
	cat "$@" >"$state/home/.ssh/authorized_keys"
	chown "$account:$account" "$state/home/.ssh/authorized_keys"
	chmod 600 "$state/home/.ssh/authorized_keys"
}

# sshd_start PREFIX ACCOUNT LOGLEVEL PORT...: a private sshd (own config PREFIX_config, pid file PREFIX.pid, log
# PREFIX.log; a system sshd is not touched) on 127.0.0.1:PORT for each PORT (sshd takes at most 16), key
# authentication of ACCOUNT only, with every host key ssh_host_*_key in PREFIX's folder. Returns when every port
# accepts connections; sets SSHD_PID.
sshd_start() {
	local prefix=$1 account=$2 level=$3 key port
	shift 3
	{
		echo "# dynport: a private sshd, 127.0.0.1 only, key authentication only, one account"
		for port in "$@"; do echo "Port $port"; done
		echo "ListenAddress 127.0.0.1"
		for key in "$(dirname "$prefix")"/ssh_host_*_key; do echo "HostKey $key"; done
		cat <<EOF
PidFile $prefix.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $account
UsePAM yes
StrictModes yes
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
LogLevel $level
EOF
	} >"${prefix}_config"
	mkdir -p /run/sshd
	/usr/sbin/sshd -t -f "${prefix}_config" || fail "sshd rejects its config [${prefix}_config]"
	/usr/sbin/sshd -D -f "${prefix}_config" -E "$prefix.log" &
	SSHD_PID=$!
	local tries
	for port in "$@"; do
		tries=0
		until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
			kill -0 "$SSHD_PID" 2>/dev/null || fail "sshd did not start [${prefix}_config]"
			tries=$((tries + 1))
			((tries < 100)) || fail "sshd does not accept connections on 127.0.0.1:$port after 10 s"
			sleep 0.1
		done
	done
}
