#!/bin/bash
# The issue's done-when check, for a machine whose PID 1 is NOT systemd (a CI container, a
# sandbox): install dist/kiosk_*.deb, run its kiosk.service under the real systemd service
# manager started as a *user* manager (systemd refuses unless /run/systemd/system exists, so
# that marker is created for the run and removed after), on an Xvfb display (a free number) instead of :0,
# then SIGKILL and SIGSTOP the kiosk and time its return (packaging/check-restart.sh).
# Only DISPLAY/XAUTHORITY and WantedBy differ from the installed unit; User=kiosk, the
# watchdog and the sandboxing directives are the installed ones.
# MODIFIES THE MACHINE while it runs (installs, then purges, the package and its user).
# On a real lobby PC use: sudo systemctl start kiosk && sudo /opt/kiosk/check-restart.sh
# Run as root from the repository: bash packaging/sandbox-restart-demo.sh
set -u
rc=1
# One run at a time: it installs a package and creates a system-wide marker.
exec 9>/tmp/kiosk-sandbox-restart-demo.lock
flock 9
cd "$(dirname "$0")/.."
D=$(mktemp -d); chmod 755 "$D"   # the kiosk user must reach the notify socket
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$PWD/$(ls dist/kiosk_*.deb | tail -1)" >/dev/null 2>&1 && echo "installed: $(dpkg-query -W kiosk)"
mkdir -p /run/systemd/system   # sd_booted() marker the user manager insists on; removed below
rm -rf $D/run; mkdir -p $D/run $D/config/systemd/user; chmod 755 $D/run
Xvfb -displayfd 3 -noreset -s 0 -screen 0 1920x1080x24 -nolisten tcp 3>$D/display >/dev/null 2>&1 &
echo $! > $D/xpid
for _ in $(seq 50); do [ -s $D/display ] && break; sleep 0.1; done
XDISPLAY=":$(cat $D/display)"
XDG_RUNTIME_DIR=$D/run XDG_CONFIG_HOME=$D/config HOME=$D setsid /lib/systemd/systemd --user >/dev/null 2>&1 &
echo $! > $D/pid
sleep 2
chmod 755 $D/run/systemd; chmod 777 $D/run/systemd/notify   # as /run/systemd/notify is
export XDG_RUNTIME_DIR=$D/run
sed -e "s|^Environment=DISPLAY=:0|Environment=DISPLAY=$XDISPLAY|" -e '/^Environment=XAUTHORITY/d' \
    -e 's|^WantedBy=graphical.target|WantedBy=default.target|' /lib/systemd/system/kiosk.service \
    > $D/config/systemd/user/kiosk.service
echo "unit = installed kiosk.service except:"; diff /lib/systemd/system/kiosk.service $D/config/systemd/user/kiosk.service | grep '^[<>]'
# As README's install steps say: a staff PIN, hashed by `kiosk pin`, into the config.
pin_line=$(printf '2580\n2580\n' | setsid kiosk pin 2>/dev/null | grep '^staff_pin_hash')
sed -i "s|^# staff_pin_hash = \"\"|$pin_line|" /etc/kiosk/kiosk.toml
grep -q '^staff_pin_hash = "scrypt' /etc/kiosk/kiosk.toml && echo "staff PIN set in /etc/kiosk/kiosk.toml"
systemctl --user daemon-reload
s=$(date +%s%N); systemctl --user start kiosk; echo "start: rc=$? active after $(( ($(date +%s%N)-s)/1000000 )) ms"
P=$(systemctl --user show kiosk -p MainPID --value); ps -o user=,pid=,cmd= -p $P
bash /opt/kiosk/check-restart.sh --user; rc=$?; echo "check-restart rc=$rc"
DISPLAY=$XDISPLAY kiosk doctor --user-manager > $D/doctor; doctor_rc=$?
sed 's/^/  doctor: /' $D/doctor; echo "doctor rc=$doctor_rc"; [ "$doctor_rc" = 0 ] || rc=1
systemctl --user stop kiosk
kill $(cat $D/pid) $(cat $D/xpid); sleep 1; rmdir /run/systemd/system
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq kiosk >/dev/null 2>&1; rm -rf /var/lib/kiosk; userdel kiosk 2>/dev/null
echo "cleaned up: $(ls -d /run/systemd/system /opt/kiosk 2>&1 | tr '\n' ' ')"
exit "$rc"
