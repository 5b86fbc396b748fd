#!/usr/bin/env bash
# The main job: start the emulator, create OPI's example chat with `oint bitrix24 CreateChat`
# (webhook form, then domain + token form), print the replies, stop the emulator.
source "$(dirname "$0")/_setup.sh" emulator

# Throw-away credentials for this run only.
code=$(python -c 'import secrets; print(secrets.token_hex(12))')
token=$(python -c 'import secrets; print(secrets.token_hex(16))')
log=$(mktemp)
oint emulator --port 0 --webhook "1/$code" --token "$token" >"$log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null; wait $emulator 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 300); do
  grep -q '^ready ' "$log" && break
  kill -0 $emulator 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
portal=$(sed -n 's/^ready //p' "$log")
echo "emulator: $portal"

fields="{'TYPE':'CHAT','TITLE':'Private chat','USERS':[10,1]}"
echo
echo "\$ oint bitrix24 CreateChat --url \"$portal/rest/1/***\" --fields \"$fields\""
oint bitrix24 CreateChat --url "$portal/rest/1/$code" --fields "$fields"
echo
echo "\$ oint bitrix24 CreateChat --url \"$portal\" --fields \"$fields\" --token \"***\""
oint bitrix24 CreateChat --url "$portal" --fields "$fields" --token "$token"
