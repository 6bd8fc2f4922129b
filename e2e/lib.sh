# shellcheck shell=bash
# Shared helpers of the dynport e2e scripts (sourced, not run). Bash only; every wait is bounded.

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { printf '\nE2E FAILED: %s\n' "$*" >&2; exit 1; }
skip_loudly() {
	printf '\n'
	printf '#%.0s' $(seq 1 78); printf '\n'
	printf '# E2E SKIPPED: %s\n' "$*"
	printf '#%.0s' $(seq 1 78); printf '\n\n'
}

# wait_until SECONDS DESCRIPTION COMMAND...: runs COMMAND every second until it succeeds or SECONDS pass.
wait_until() {
	local limit=$1 what=$2; shift 2
	local end=$((SECONDS + limit))
	while ((SECONDS < end)); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 1
	done
	fail "timed out after ${limit}s waiting for: $what"
}

# Installs Debian packages that are missing; apt-get update only when something must be installed.
apt_install() {
	local missing=()
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	if ((${#missing[@]})); then
		log "apt-get install ${missing[*]}"
		# The packages' own services (system-wide icinga2/nagios4) must not start: the tests run private
		# instances, and nothing may keep running afterwards. policy-rc.d 101 = "action forbidden" (Debian policy).
		local policy=/usr/sbin/policy-rc.d own_policy=0
		if [[ ! -e $policy ]]; then
			printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 0755 "$policy" && own_policy=1
		fi
		local rc=0 before
		before=$(unit_files)
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq || rc=$?
		((rc == 0)) && { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
			--no-install-recommends "${missing[@]}" >/dev/null || rc=$?; }
		((own_policy)) && rm -f "$policy"
		((rc == 0)) || fail "apt-get could not install ${missing[*]}"
		disable_new_units "$before"
	fi
}

# The systemd service and socket units installed on this machine, one name a line.
unit_files() {
	find /lib/systemd/system /usr/lib/systemd/system -maxdepth 1 \( -name '*.service' -o -name '*.socket' \) \
		-printf '%f\n' 2>/dev/null | sort -u
}

# disable_new_units BEFORE: on a systemd host, units that appeared since BEFORE (a unit_files list) are stopped
# and disabled. policy-rc.d keeps them from starting during the install, but the packages enable them, so the
# next boot would start a system-wide icinga2/nagios4/apache2/rsyslog/sshd with its default config (and ports).
# Units the machine had before are left alone: a test must not touch a service the admin runs.
disable_new_units() {
	[[ -d /run/systemd/system ]] || return 0
	local units
	mapfile -t units < <(comm -13 <(printf '%s\n' "$1") <(unit_files) | grep -v '@\.' || true)
	((${#units[@]})) || return 0
	log "systemd: disabling the units the packages brought: ${units[*]}"
	systemctl disable --now --quiet "${units[@]}" 2>/dev/null || log "systemctl disable reported an error (ignored)"
}

# free_port VAR: sets VAR to a TCP and UDP port of 127.0.0.1 nobody listens on, picked at random below the
# kernel's ephemeral range (where outgoing connections take their source ports), so that two runs at once (or a
# test and a system daemon) do not meet on a fixed number. Ports handed out by this shell are not handed out again.
DYNPORT_E2E_PORTS_GIVEN=" "
free_port() {
	local var=$1 lo p i
	read -r lo _ < /proc/sys/net/ipv4/ip_local_port_range
	((lo > 21000)) || lo=32768
	for i in $(seq 1 300); do
		p=$((20000 + (RANDOM * 32768 + RANDOM + $$ * 7 + i) % (lo - 20000)))
		[[ $DYNPORT_E2E_PORTS_GIVEN == *" $p "* ]] && continue
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
		if command -v ss >/dev/null && [[ -n $(ss -Hlnu "sport = :$p" 2>/dev/null) ]]; then
			continue
		fi
		DYNPORT_E2E_PORTS_GIVEN+="$p "
		printf -v "$var" '%s' "$p"
		return 0
	done
	fail "no free port of 127.0.0.1 found in 20000-$((lo - 1))"
}

# work_dir VAR OVERRIDE NAME: VAR becomes OVERRIDE when set, else a new private folder (mktemp -d) named after
# NAME, so that two runs at once never share files. Returns 0 when the folder is private (the caller removes it).
work_dir() {
	local var=$1 given=${2:-} name=$3
	if [[ -n $given ]]; then
		printf -v "$var" '%s' "$given"
		return 1
	fi
	printf -v "$var" '%s' "$(mktemp -d "/tmp/dynport-e2e-$name.XXXXXXXX")"
}

# Builds the product jars when missing. Returns 1 (after a loud message) when the product's launcher is not in
# this tree at all, so the caller can skip; a launcher that exists but does not build is a failure.
# $1 = repo root, $2 = module (check-plugin|probe-agent), $3 = launcher name, $4 = jar name
ensure_product() {
	local root=$1 module=$2 launcher=$3 jar=$4
	if [[ ! -f "$root/$module/bin/$launcher" ]]; then
		skip_loudly "$module/bin/$launcher is not in this tree, so the real product cannot be tested end to end here"
		return 1
	fi
	if [[ ! -f "$root/$module/target/$jar" ]]; then
		command -v mvn >/dev/null || fail "mvn is needed to build $module/target/$jar"
		log "building $module (mvn -B -q -DskipTests package)"
		(cd "$root" && mvn -B -q -DskipTests -pl "$module" -am package) || fail "build of $module failed"
	fi
	[[ -f "$root/$module/target/$jar" ]] || fail "$module/target/$jar missing after the build"
	return 0
}

# Copies a launcher and its jar side by side, as the install docs say.
install_product() {
	local root=$1 module=$2 launcher=$3 jar=$4 dest=$5
	mkdir -p "$dest"
	install -m 0755 "$root/$module/bin/$launcher" "$dest/$launcher"
	install -m 0644 "$root/$module/target/$jar" "$dest/$jar"
}

# Stops the process whose pid is in FILE (SIGTERM, then SIGKILL after SECONDS); only that pid.
stop_pidfile() {
	local file=$1 limit=${2:-30}
	[[ -s "$file" ]] || return 0
	local pid
	pid=$(cat "$file")
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		local end=$((SECONDS + limit))
		while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 0.5; done
		if kill -0 "$pid" 2>/dev/null; then
			log "pid $pid did not stop in ${limit}s, SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -f "$file"
}
