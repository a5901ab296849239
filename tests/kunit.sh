# Guest: load the KUnit module; its suites run at load and print KTAP on the
# console, which the host parses with kunit.py.
. /lib/va/guest.sh
va_check kunit_modprobe modprobe virtio_alt_kunit
va_kmemleak_scan kunit_kmemleak
