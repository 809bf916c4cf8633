#!/bin/sh
# Installs wazuh-aws-subscriber on a Wazuh manager, in place of Wazuh's aws-s3 wrapper.
#
#   scripts/install.sh [WAZUH_DIR]        (default /var/ossec)
#
# What it does:
#   - checks Node.js >= 20 (WAZUH_AWS_NODE, else node on PATH) and builds this checkout if
#     dist/ or the native addon is missing;
#   - copies the program (dist/, the addon, production node_modules, package.json, the wrapper)
#     to <WAZUH>/wodles/aws-subscriber/, and records which node to run in its node-path file;
#   - keeps Wazuh's own wodles/aws/aws-s3 in <WAZUH>/wodles/aws-subscriber/original/ (the Python
#     wodle aws-s3.py stays where it is: bucket and service runs are handed to it);
#   - puts our wrapper at <WAZUH>/wodles/aws/aws-s3;
#   - owner root:wazuh, mode 0750 (files 0640) like Wazuh's own files.
# Safe to run again (to upgrade): the original kept the first time is kept.
# scripts/uninstall.sh restores Wazuh's wrapper byte for byte.

set -eu

MIN_NODE_MAJOR=20
WRAPPER_MARK='wazuh-aws-subscriber wrapper'

say() { echo "install: $*"; }
die() { echo "install: ERROR: $*" >&2; exit 1; }

wazuh_dir=${1:-/var/ossec}
checkout=$(cd -P -- "$(dirname -- "$0")/.." && pwd -P)
wodle_dir="$wazuh_dir/wodles/aws"
target="$wazuh_dir/wodles/aws-subscriber"
staging="$wazuh_dir/wodles/.aws-subscriber.new"
retired="$wazuh_dir/wodles/.aws-subscriber.old"

find_node() {
    node=${WAZUH_AWS_NODE:-$(command -v node 2>/dev/null || true)}
    [ -n "$node" ] && [ -x "$node" ] || die "Node.js not found. Install Node.js $MIN_NODE_MAJOR \
or newer (https://nodejs.org or your distribution's nodejs package), or set WAZUH_AWS_NODE."
    node=$(cd -P -- "$(dirname -- "$node")" && pwd -P)/$(basename -- "$node")

    major=$("$node" --version | sed -n 's/^v\([0-9][0-9]*\)\..*/\1/p')
    [ -n "$major" ] && [ "$major" -ge "$MIN_NODE_MAJOR" ] || die "Node.js $MIN_NODE_MAJOR or \
newer is required, $node is $("$node" --version). Install a newer one, or point WAZUH_AWS_NODE \
at it."
    say "using Node.js $("$node" --version) at $node"
}

# Builds when the program or the addon is missing. A program older than the sources is used as
# it is, with a note: rebuilding is the developer's call (npm run build).
build_if_needed() {
    program="$checkout/dist/cli/main.js"
    addon="$checkout/build/Release/datagram.node"
    if [ -f "$program" ] && [ -f "$addon" ]; then
        newer=$(find "$checkout/src" "$checkout/native" -newer "$program" -print | head -n 1)
        [ -z "$newer" ] || say "note: $newer is newer than dist/; run 'npm run build' to include it"
        return 0
    fi

    say "building $checkout"
    [ -d "$checkout/node_modules" ] || (cd "$checkout" && npm ci --ignore-scripts)
    (cd "$checkout" && PATH="$(dirname -- "$node"):$PATH" npm run build) || die "the build failed"
}

# Production dependencies only, as package-lock.json lists them.
copy_production_modules() {
    "$node" -e '
        const lock = require(process.argv[1] + "/package-lock.json");
        for (const [path, meta] of Object.entries(lock.packages ?? {})) {
            if (path && !meta.dev) console.log(path);
        }' "$checkout" | while IFS= read -r module; do
        [ -d "$checkout/$module" ] || continue
        mkdir -p "$staging/$(dirname -- "$module")"
        cp -R "$checkout/$module" "$staging/$module"
    done
}

stage_program() {
    rm -rf "$staging"
    mkdir -p "$staging/build/Release" "$staging/wodle"
    cp -R "$checkout/dist" "$staging/dist"
    cp "$checkout/build/Release/datagram.node" "$staging/build/Release/"
    cp "$checkout/package.json" "$checkout/package-lock.json" "$staging/"
    cp "$checkout/wodle/aws-s3" "$staging/wodle/aws-s3"
    copy_production_modules
    echo "$node" > "$staging/node-path"
}

is_our_wrapper() {
    [ -f "$1" ] && grep -q "$WRAPPER_MARK" "$1"
}

# Keeps Wazuh's wrapper the first time; a later run keeps that copy, unless Wazuh (an upgrade)
# has put a new wrapper of its own in place since.
keep_original() {
    mkdir -p "$staging/original"
    current="$wodle_dir/aws-s3"
    if [ -e "$current" ] && ! is_our_wrapper "$current"; then
        cp -p "$current" "$staging/original/aws-s3"
        say "kept Wazuh's $current in $target/original/"
    elif [ -d "$target/original" ]; then
        cp -pR "$target/original/." "$staging/original/"
    else
        : > "$staging/original/none"
        say "no aws-s3 wrapper of Wazuh's to keep"
    fi
}

# Our files only: the kept original keeps its own owner and mode for uninstall.sh.
set_ownership() {
    owner=root:wazuh
    if ! getent group wazuh >/dev/null 2>&1 && ! grep -q '^wazuh:' /etc/group 2>/dev/null; then
        say "group 'wazuh' does not exist; leaving the owner as it is (is this a Wazuh manager?)"
        owner=
    fi
    for item in "$staging"/*; do
        [ "$item" = "$staging/original" ] && continue
        if [ -n "$owner" ] && ! chown -R "$owner" "$item" 2>/dev/null; then
            say "could not set owner $owner on $item (run as root for that); continuing"
        fi
        chmod -R u=rwX,g=rX,o= "$item"
    done
    chmod 0750 "$staging" "$staging/wodle/aws-s3"
    [ -z "$owner" ] || chown "$owner" "$staging" 2>/dev/null || true
}

swap_in() {
    rm -rf "$retired"
    [ -d "$target" ] && mv "$target" "$retired"
    mv "$staging" "$target"
    rm -rf "$retired"
}

install_wrapper() {
    mkdir -p "$wodle_dir"
    cp "$target/wodle/aws-s3" "$wodle_dir/aws-s3.new.$$"
    if ! chown root:wazuh "$wodle_dir/aws-s3.new.$$" 2>/dev/null; then :; fi
    chmod 0750 "$wodle_dir/aws-s3.new.$$"
    mv "$wodle_dir/aws-s3.new.$$" "$wodle_dir/aws-s3"
}

[ -d "$wazuh_dir/wodles" ] || die "$wazuh_dir does not look like a Wazuh installation \
(no wodles/ directory); pass the Wazuh directory as the first argument"

find_node
build_if_needed
stage_program
keep_original
set_ownership
swap_in
install_wrapper

say "installed in $target; $wodle_dir/aws-s3 now runs it"
if [ ! -f "$wazuh_dir/wodles/aws/aws-s3.py" ]; then
    say "note: Wazuh's aws-s3.py is not in $wodle_dir: bucket (-b) and service (-sr) runs will fail"
fi
