#!/usr/bin/env bash
# The base of the image when no registry is reachable (docs/image.md, docs/decisions/0011): a root file system made
# from this machine alone, laid by Jib on `scratch` as extra directories:
#   /opt/java  a Java runtime jlinked from the build's JDK (JAVA_HOME), without debug symbols, headers or man pages;
#   /lib, /lib64, /usr/lib ...  every shared library the runtime's executables and libraries load (found with ldd),
#              plus what the natives the application unpacks at run time need (Netty's epoll and BoringSSL, the AWS
#              CRT): glibc's libraries, its name-service modules (files, dns) and libgcc_s;
#   /tmp       where those natives are unpacked.
# Usage: local-base.sh OUT_DIR
set -euo pipefail
out=${1:?usage: local-base.sh OUT_DIR}
jdk=${JAVA_HOME:?JAVA_HOME must name the JDK to jlink the runtime from}
# java.se and the JDK modules the application uses beyond it: sun.misc.Unsafe (Netty, Gatling), PKCS#11 and zip file
# systems, DNS naming, JFR and management (Gatling, the JVM's container support), HTTP server, extra charsets.
modules=java.se,jdk.unsupported,jdk.crypto.cryptoki,jdk.zipfs,jdk.naming.dns,jdk.jfr,jdk.management,jdk.httpserver,jdk.charsets,jdk.net
rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp"
touch "$out/tmp/.keep"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --output "$out/opt/java"
libs=$(mktemp)
trap 'rm -f "$libs"' EXIT
# (headless: the X11 and sound libraries of java.desktop's GUI back ends are never loaded, so not looked at)
find "$out/opt/java" -type f \( -path '*/bin/*' -o -name '*.so' -o -name jspawnhelper \) \
  ! -name libawt_xawt.so ! -name libjawt.so ! -name libjsound.so ! -name libsplashscreen.so -print0 \
  | xargs -0 -n1 ldd 2>/dev/null \
  | awk '/=> \//{print $3} /^[ \t]*\/[^ ]+ \(/{print $1}' >> "$libs" || true
arch=$(dirname "$(ldd "$jdk/bin/java" | awk '/libc\.so/{print $3}')")
for extra in libnss_files.so.2 libnss_dns.so.2 libresolv.so.2 libgcc_s.so.1 librt.so.1 libm.so.6 libdl.so.2 \
             libpthread.so.0 libz.so.1; do
  if [ -e "$arch/$extra" ]; then echo "$arch/$extra" >> "$libs"; fi
done
sort -u "$libs" | while read -r lib; do
  case "$lib" in "$out"/*) continue ;; esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
echo "local base: $(du -sh "$out" | cut -f1) in $out (runtime: $("$out/opt/java/bin/java" -version 2>&1 | head -1);" \
  "$(sort -u "$libs" | grep -vc "^$out/") system libraries)"
