#!/usr/bin/env bash
# The load demo: two instances of the sample app (ports 8080 and 8081) on three local Redis
# nodes, 1,000 concurrent bookings and 1,000 concurrent purchases, locked and unlocked.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl redlock-sample-app -am package -DskipTests
jar=redlock-sample-app/target/redlock-sample-app.jar
exec java -cp "$jar" -Dloader.main=dev.redlock.sample.demo.LoadDemo \
	org.springframework.boot.loader.launch.PropertiesLauncher "$jar"
