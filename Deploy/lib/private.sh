# Sourced by the Deploy scripts: folders and files that hold passwords, tokens or backups.

# private_dir DIR [OWNER]: DIR as a real folder that only OWNER (default: whoever runs the script)
# and root can enter, mode 0700. An existing DIR that is a symbolic link, not a folder, or owned by
# anyone else is refused: under a shared folder such as /var/tmp somebody else may have made it
# first, to read what is written there. Its parent is made with the usual mode.
private_dir() {
  local dir=$1 owner=${2:-$(id -un)}
  if [ -L "$dir" ]; then echo "refusing $dir: it is a symbolic link" >&2; exit 1; fi
  if [ -e "$dir" ]; then
    [ -d "$dir" ] || { echo "refusing $dir: it is not a folder" >&2; exit 1; }
    local found; found=$(stat -c %U "$dir")
    if [ "$found" != "$owner" ] && [ "$found" != "$(id -un)" ]; then
      echo "refusing $dir: it belongs to $found, not $owner; remove it or choose another folder" >&2; exit 1
    fi
  else
    (umask 022; mkdir -p "$(dirname "$dir")")
    mkdir -m 700 "$dir"
  fi
  if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then chown "$owner:" "$dir"; fi
  chmod 700 "$dir"
}

# private_file FILE [OWNER]: FILE (created empty if missing) at mode 0600, owned by OWNER.
private_file() {
  local file=$1 owner=${2:-$(id -un)}
  [ -e "$file" ] || (umask 077; : >"$file")
  chmod 600 "$file"
  if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then chown "$owner:" "$file"; fi
}

# pgpass_line URL: the ~/.pgpass line for a postgres:// URL with a password, so that psql and
# pgbench can be given the URL without it (a command line is visible to every user in `ps`).
pgpass_line() {
  /usr/bin/python3 -c 'import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
esc = lambda s: u.unquote(s or "").replace("\\", "\\\\").replace(":", "\\:")
print(":".join([esc(p.hostname), str(p.port or 5432), "*", esc(p.username), esc(p.password)]))' "$1"
}

# without_password URL: the URL with its password taken out.
without_password() { printf '%s' "$1" | sed -E 's#^(postgres(ql)?://[^:/@]+):[^@]*@#\1@#'; }

# A header line for `curl -H @<(header "Authorization: Bearer $token")`: printf is a shell
# builtin, so the token is on no command line.
header() { printf '%s\n' "$1"; }
