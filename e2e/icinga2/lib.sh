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
		local rc=0
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq || rc=$?
		((rc == 0)) && { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
			--no-install-recommends "${missing[@]}" >/dev/null || rc=$?; }
		((own_policy)) && rm -f "$policy"
		((rc == 0)) || fail "apt-get could not install ${missing[*]}"
	fi
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
