"""What a measurement records about the machine it ran on: the CPU model and the Java version."""

import os
import platform
import subprocess


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (the architecture where there is none)."""
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    return platform.machine()


def java_version():
    """The first line of `java -version`, e.g. 'openjdk version "17.0.15" 2025-04-15'."""
    return subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
