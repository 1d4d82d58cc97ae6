#!/usr/bin/env bash
# The load demo: two instances of the sample app (ports 8080 and 8081) on three local Redis
# nodes, 1,000 concurrent bookings and 1,000 concurrent purchases, locked and unlocked.
# Open http://localhost:8080/ to watch the locks being handed over; --keep leaves both
# instances running after the results, until Enter.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl redlock-sample-app -am package -DskipTests
jar=redlock-sample-app/target/redlock-sample-app.jar
exec java -cp "$jar" -Dloader.main=dev.redlock.sample.demo.LoadDemo \
	org.springframework.boot.loader.launch.PropertiesLauncher "$jar" "$@"
