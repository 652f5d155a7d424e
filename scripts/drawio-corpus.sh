#!/usr/bin/env bash
# Imports every draw.io file of the corpus with `whoowns import` and sums up what happened.
#
#   scripts/drawio-corpus.sh BINARY [DIR]
#
# DIR is the corpus: ../shared/corpus/drawio beside the checkout by default (or $CORPUS); it is
# read in place, never copied. For every file: `BINARY import FILE -o OUT.ron` (under a temporary
# folder, removed at the end), timed, with its report on stderr; then, for a file of several
# pages, every other page with `--page N` (their shapes count too; the file's class and time are
# those of its first page). Prints one line per file that is not ok or is slow, the unrecognised
# AWS shapes with their counts, and
#   files=N ok=N errors=N crashes=N timeouts=N pages=N
#   aws_shapes=N mapped=N (P%) unrecognised=N slowest=MS ms (FILE)
# A crash is a panic (exit 101, "panicked at" on stderr) or death by a signal; a timeout is exit
# 124/137 from `timeout` (20 s); an error is any other non-zero exit. The mapped share is read
# from each report's "AWS shapes: N, mapped M" line. Needs bash, coreutils and python3.
set -u
BIN=${1:?usage: scripts/drawio-corpus.sh BINARY [DIR]}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
HERE=$(cd "$(dirname "$0")/.." && pwd)
DIR=${2:-${CORPUS:-}}
if [[ -z $DIR ]]; then
    # ../shared beside the checkout (a worktree under wt/ looks one level further up).
    for candidate in "$HERE/../shared/corpus/drawio" "$HERE/../../shared/corpus/drawio"; do
        [[ -d $candidate ]] && DIR=$candidate && break
    done
fi
DIR=$(cd "${DIR:?no corpus folder: pass DIR or set CORPUS}" && pwd) || exit 2
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
exec python3 - "$BIN" "$DIR" "$OUT" <<'PY'
import os, re, subprocess, sys, time
bin_, corpus, out = sys.argv[1:4]
files = []
for d, _, fs in os.walk(corpus):
    for f in fs:
        if f.endswith('.md'):
            continue
        files.append(os.path.relpath(os.path.join(d, f), corpus))
files.sort()
counts = dict(ok=0, errors=0, crashes=0, timeouts=0)
aws = mapped = unrecognised = 0
slowest = (0.0, '')
unknown = {}
AWS = re.compile(r'^AWS shapes: (\d+), mapped (\d+) .*; unrecognised (\d+)$')
PAGE = re.compile(r'^Page ".*" \(\d+ of (\d+)')
pages_read = 0

def run(rel, ron, page=None):
    """One import: (class, milliseconds, stderr)."""
    args = ['timeout', '-k', '5', '20', bin_, 'import', os.path.join(corpus, rel), '-o', ron]
    if page is not None:
        args += ['--page', str(page)]
    t0 = time.monotonic()
    p = subprocess.run(args, capture_output=True)
    ms = (time.monotonic() - t0) * 1000
    err = p.stderr.decode('utf-8', 'replace')
    rc = p.returncode
    if rc in (124, 137):
        cls = 'timeouts'
    elif rc == 101 or rc < 0 or rc >= 128 or 'panicked at' in err:
        cls = 'crashes'
    elif rc != 0:
        cls = 'errors'
    else:
        cls = 'ok'
    return cls, ms, err

def tally(rel, err):
    """Adds a report's AWS shape counts; returns the file's page count."""
    global aws, mapped, unrecognised, pages_read
    pages_read += 1
    section, pages = None, 1
    for line in err.splitlines():
        m = AWS.match(line)
        if m:
            aws += int(m.group(1)); mapped += int(m.group(2)); unrecognised += int(m.group(3))
        m = PAGE.match(line)
        if m:
            pages = int(m.group(1))
        if line.endswith(':') and not line.startswith(' '):
            section = line
        elif line.startswith('  - ') and section and section.startswith('Unrecognised AWS shapes'):
            name, n = line[4:].rsplit(' (', 1)
            entry = unknown.setdefault(name, [0, set()])
            entry[0] += int(n.rstrip(')'))
            entry[1].add(rel)
    return pages

for i, rel in enumerate(files):
    ron = os.path.join(out, f'{i:04d}.ron')
    cls, ms, err = run(rel, ron)
    counts[cls] += 1
    if ms > slowest[0]:
        slowest = (ms, rel)
    if cls != 'ok' or ms > 100:
        first = (err.strip().splitlines() or [''])[0][:200]
        print(f'{cls:8} {ms:7.1f} ms  {rel}: {first}')
    if cls != 'ok':
        continue
    for page in range(2, tally(rel, err) + 1):
        pcls, pms, perr = run(rel, ron, page)
        if pcls != 'ok':
            print(f'{pcls:8} {pms:7.1f} ms  {rel} --page {page}: {(perr.strip().splitlines() or [""])[0][:200]}')
            continue
        tally(rel, perr)
for name, (n, where) in sorted(unknown.items(), key=lambda kv: (-kv[1][0], kv[0])):
    print(f'unrecognised {name}: {n} in {len(where)} file(s)')
share = 100.0 * mapped / aws if aws else 100.0
print(f"files={len(files)} ok={counts['ok']} errors={counts['errors']} crashes={counts['crashes']} timeouts={counts['timeouts']} pages={pages_read}")
print(f"aws_shapes={aws} mapped={mapped} ({share:.1f}%) unrecognised={unrecognised} slowest={slowest[0]:.1f} ms ({slowest[1]})")
PY
