#!/bin/sh
# Removes wazuh-aws-subscriber from a Wazuh manager and puts Wazuh's own aws-s3 wrapper back,
# byte for byte, with its owner and mode, as scripts/install.sh kept it.
#
#   scripts/uninstall.sh [WAZUH_DIR]      (default /var/ossec)

set -eu

WRAPPER_MARK='wazuh-aws-subscriber wrapper'

say() { echo "uninstall: $*"; }
die() { echo "uninstall: ERROR: $*" >&2; exit 1; }

wazuh_dir=${1:-/var/ossec}
wrapper="$wazuh_dir/wodles/aws/aws-s3"
target="$wazuh_dir/wodles/aws-subscriber"
original="$target/original/aws-s3"

is_our_wrapper() {
    [ -f "$1" ] && grep -q "$WRAPPER_MARK" "$1"
}

restore_wrapper() {
    if [ -f "$original" ]; then
        cp -p "$original" "$wrapper.restore.$$"
        mv "$wrapper.restore.$$" "$wrapper"
        cmp -s "$original" "$wrapper" || die "the restored $wrapper differs from the kept copy"
        say "restored Wazuh's $wrapper"
    elif is_our_wrapper "$wrapper"; then
        rm -f "$wrapper"
        say "removed $wrapper (there was no Wazuh wrapper to restore)"
    fi
}

if [ ! -d "$target" ]; then
    say "nothing installed in $target"
    exit 0
fi
if [ ! -f "$original" ] && [ ! -f "$target/original/none" ]; then
    die "$target/original/ holds no kept wrapper; refusing to guess. Restore $wrapper from \
the Wazuh package, then remove $target"
fi

restore_wrapper
rm -rf "$target"
say "removed $target"
