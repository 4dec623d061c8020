#!/bin/sh
# Generates an assembler file that .incbin's every asset and a C table
# naming them, so the binary carries its templates, migrations and static
# files (one binary, as Fossil does).  Usage: embed.sh OUTDIR FILE...
set -eu
out=$1; shift
root=$(pwd)
S=$out/embed.S; C=$out/embed.c
: > "$S.tmp"; : > "$C.tmp"
printf '\t.section .note.GNU-stack,"",@progbits\n\t.section .rodata\n' >> "$S.tmp"
printf '#include "embed.h"\n' >> "$C.tmp"
i=0
for f in "$@"; do
  printf '\t.global fw_embed_%d\n\t.balign 16\nfw_embed_%d:\n\t.incbin "%s/%s"\nfw_embed_%d_end:\n\t.byte 0\n\t.global fw_embed_%d_size\n\t.balign 8\nfw_embed_%d_size:\n\t.quad fw_embed_%d_end - fw_embed_%d\n' \
    $i $i "$root" "$f" $i $i $i $i $i >> "$S.tmp"
  printf 'extern const char fw_embed_%d[]; extern const unsigned long fw_embed_%d_size;\n' $i $i >> "$C.tmp"
  i=$((i+1))
done
printf 'const struct embed_file embed_files[] = {\n' >> "$C.tmp"
i=0
for f in "$@"; do
  printf '\t{ "%s", fw_embed_%d, &fw_embed_%d_size },\n' "$f" $i $i >> "$C.tmp"
  i=$((i+1))
done
printf '\t{ 0, 0, 0 }\n};\n' >> "$C.tmp"
mv "$S.tmp" "$S"; mv "$C.tmp" "$C"
