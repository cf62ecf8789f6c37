#!/usr/bin/env bash
# Backup and restore, tried for real (docs/production.md quotes these commands): a student's stored document is made,
# the database is dumped (pg_dump -Fc) and then the media copied (tar); both are restored into a fresh database and
# a fresh media folder, a gunicorn started on the restored pair, and the student downloads the document through the
# portal: the bytes must be the original's. Uses the bench data (bench/env.sh, bench/seed.sh); the restored database
# (<bench database>_restored) is dropped at the end and every process started here is stopped.
# Usage: bash bench/backup_restore.sh   — prints a section (bench/run_all.sh puts it in bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/env.sh
. bench/seed.sh >&2
PORT=${RESTORE_PORT:-18099}
WORK=$PWD/var/bench/backup
rm -rf "$WORK" && mkdir -p "$WORK/media"
export ATTESTATION_MEDIA_STORAGE=filesystem ATTESTATION_MEDIA_ROOT=$WORK/media ATTESTATION_MEDIA_ACCEL_REDIRECT=
SOURCE=$DATABASE_URL
RESTORED=${DATABASE_URL%/*}/$(basename "${DATABASE_URL##*/}")_restored
db() { .venv/bin/python -c "import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(p.path.lstrip('/'))" "$1"; }
PGHOST=127.0.0.1 PGUSER=postgres
export PGHOST PGUSER

# 1. A document to recover: the ID copy bench-s3 uploads (through the portal's own service).
pk=$(.venv/bin/python manage.py shell -v0 -c "
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from attestation.institutions.models import Student
from proctoring import services
out = io.BytesIO(); Image.new('RGB', (80, 60), (10, 160, 90)).save(out, 'PNG')
student = Student.objects.get(user__username='bench-s3')
print(services.id_copy_upload(student=student, upload=SimpleUploadedFile('id.png', out.getvalue()), actor=student.user).pk)
" | tail -1)
original=$(find "$WORK/media" -type f -name '*.png' -exec sha256sum {} + | awk '{print $1}')

# 2. Backup: the database first, then the media (every file a dumped row names is already written).
started=$(date +%s.%N)
pg_dump -Fc -Z 6 -d "$(db "$SOURCE")" -f "$WORK/attestation.dump"
tar -C "$WORK/media" -czf "$WORK/media.tar.gz" .
backup_s=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')

# 3. Restore into a fresh database and a fresh folder.
started=$(date +%s.%N)
dropdb --if-exists "$(db "$RESTORED")"
createdb "$(db "$RESTORED")"
pg_restore --no-owner --exit-on-error -j 2 -d "$(db "$RESTORED")" "$WORK/attestation.dump"
mkdir -p "$WORK/media-restored" && tar -C "$WORK/media-restored" -xzf "$WORK/media.tar.gz"
restore_s=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')
rows_source=$(psql -tA -d "$(db "$SOURCE")" -c "SELECT count(*) FROM proctoring_idcopy")
rows_restored=$(psql -tA -d "$(db "$RESTORED")" -c "SELECT count(*) FROM proctoring_idcopy")

# 4. The portal on the restored pair serves the restored document to its student.
DATABASE_URL=$RESTORED ATTESTATION_MEDIA_ROOT=$WORK/media-restored \
  .venv/bin/gunicorn attestation.wsgi -w 1 -b 127.0.0.1:$PORT --log-level warning >"$WORK/gunicorn.log" 2>&1 &
WEB=$!
trap 'kill $WEB 2>/dev/null || true; wait $WEB 2>/dev/null || true; dropdb --if-exists "$(db "$RESTORED")"' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/ping/" && break; sleep 0.2; done
served=$(DATABASE_URL=$RESTORED ATTESTATION_MEDIA_ROOT=$WORK/media-restored .venv/bin/python - "$PORT" "$pk" <<'PY'
import hashlib
import sys

sys.path.insert(0, "bench")
import nodes_check  # noqa: E402  (sets Django up; its real sign-in)
import requests  # noqa: E402
from django.conf import settings  # noqa: E402

base = f"http://127.0.0.1:{sys.argv[1]}"
jar = f"{settings.SESSION_COOKIE_NAME}={nodes_check.sign_in(base, 'bench-s3')}"
answer = requests.get(f"{base}/proctoring/id-copy/{sys.argv[2]}/file/", headers={**nodes_check.HTTPS, "Cookie": jar})
print(answer.status_code, hashlib.sha256(answer.content).hexdigest())
PY
)
status=${served%% *}
digest=${served##* }
same=$([ "$digest" = "$original" ] && echo 1 || echo 0)
ok=$([ "$status" = 200 ] && [ "$same" = 1 ] && [ "$rows_source" = "$rows_restored" ] && echo 1 || echo 0)
dump_mb=$(du -m "$WORK/attestation.dump" | cut -f1)
echo
echo "## Backup and restore, $(date -u +%Y-%m-%dT%H:%MZ)"
echo '```'
echo "backup_restore ok=$ok served_status=$status same_bytes=$same id_copies=$rows_restored/$rows_source" \
  "dump_mb=$dump_mb backup_s=$(printf %.1f "$backup_s") restore_s=$(printf %.1f "$restore_s")"
echo '```'
echo "- backup (pg_dump -Fc, then tar of the media) and restore into a fresh database and folder: $([ "$ok" = 1 ] &&
  echo "the portal on the restored pair served the student's document, the same bytes" || echo "FAILED")" \
  "(dump $dump_mb MB, backup $(printf %.1f "$backup_s") s, restore $(printf %.1f "$restore_s") s; docs/production.md)"
[ "$ok" = 1 ]
