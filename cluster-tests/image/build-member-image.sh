#!/usr/bin/env bash
# Builds the container image the cluster tests run members in: a minimal Debian bookworm root file system with
# a Java 17 runtime, made by debootstrap from Debian's package mirror (no image registry is needed) and loaded
# with `docker import`. Idempotent: does nothing if the tag exists. Needs root, debootstrap and a Docker engine.
# The members' jars are not in the image: the tests mount them, so the image outlives code changes.
set -euo pipefail
tag="${INTENTGRID_MEMBER_IMAGE:-intentgrid-member-base:bookworm-jre17}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
if docker image inspect "$tag" > /dev/null 2>&1; then
  echo "image $tag exists"
  exit 0
fi
command -v debootstrap > /dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
rootfs=$(mktemp -d /tmp/intentgrid-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "building $tag from $mirror (debootstrap, a few minutes) ..."
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror" > "$rootfs.log" 2>&1 || {
  tail -20 "$rootfs.log" >&2
  exit 1
}
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | docker import -c 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' - "$tag" > /dev/null
rm -f "$rootfs.log"
echo "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
