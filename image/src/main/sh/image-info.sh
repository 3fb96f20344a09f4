#!/usr/bin/env bash
# Prints what jib:buildTar built: the tar, the image digest and id, the size of its compressed layers and unpacked.
# Usage: image-info.sh IMAGE_TAR DIGEST_FILE
set -euo pipefail
tar=${1:?usage: image-info.sh IMAGE_TAR DIGEST_FILE}
digest=$(cat "${2:?}")
id=$(cat "$(dirname "$2")/jib-image.id" 2>/dev/null || echo "?")
unpacked=0
while read -r size name; do
  case "$name" in *.tar.gz) unpacked=$((unpacked + $(tar -xOf "$tar" "$name" | gzip -dc | wc -c))) ;; esac
done < <(tar -tvf "$tar" | awk '{print $3, $6}')
echo "image: $tar"
echo "image: digest $digest, id $id"
echo "image: $(( $(stat -c %s "$tar") / 1048576 )) MiB as a tar of compressed layers, $(( unpacked / 1048576 )) MiB unpacked"
