#!/bin/sh
# The print engine of the test printer: ippeveprinter runs it for every job (`-c`), with the
# spooled document as $1 and its MIME type in CONTENT_TYPE. "Paper" is the folder
# $KIOSK_PRINT_OUT: a document that prints lands there whole, with a `.type` file beside it
# holding its content type. The file $KIOSK_PRINT_MODE says how the printer behaves:
#   ok           print
#   media-empty  paper runs out: `STATE: +media-empty` (printer-state-reasons), exit 1 (abort)
#   media-jam    paper jams:     `STATE: +media-jam`, exit 1
#   slow         print after $KIOSK_PRINT_SLOW_S seconds (default 4), to kill the printer mid-job
# A job that prints clears both conditions, as a real printer does once it prints again.
mode=$(cat "$KIOSK_PRINT_MODE" 2>/dev/null || echo ok)
case "$mode" in
  media-empty) echo "STATE: +media-empty" >&2; echo "ERROR: out of paper" >&2; exit 1 ;;
  media-jam) echo "STATE: +media-jam" >&2; echo "ERROR: paper jam" >&2; exit 1 ;;
  slow) sleep "${KIOSK_PRINT_SLOW_S:-4}" ;;
esac
echo "STATE: -media-empty,media-jam" >&2
case "$CONTENT_TYPE" in
  image/png) ext=png ;;
  application/pdf) ext=pdf ;;
  image/pwg-raster) ext=pwg ;;
  *) ext=bin ;;
esac
# Job ids start again at 1 when the printer restarts: the time keeps names unique.
name="$(date +%s%N)-job${IPP_JOB_ID:-0}"
cp "$1" "$KIOSK_PRINT_OUT/.$name.part" || exit 1
printf '%s\n' "$CONTENT_TYPE" > "$KIOSK_PRINT_OUT/$name.type"
mv "$KIOSK_PRINT_OUT/.$name.part" "$KIOSK_PRINT_OUT/$name.$ext"
