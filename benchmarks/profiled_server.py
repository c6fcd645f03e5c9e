"""uvicorn under cProfile, for `python -m benchmarks --profile`:

    python -m benchmarks.profiled_server PROFILE [uvicorn's arguments]

The profile is written when the server is stopped with SIGTERM. uvicorn re-raises the signal
it caught once it has shut down, to die of it, which would lose the profile: the handler in
place before it started turns that signal into a normal exit.
"""

import cProfile
import signal
import sys
from types import FrameType

import uvicorn


def exit_normally(signal_number: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main() -> None:
    output, *arguments = sys.argv[1:]
    signal.signal(signal.SIGTERM, exit_normally)
    profile = cProfile.Profile()
    profile.enable()
    try:
        uvicorn.main.main(args=arguments, standalone_mode=False)
    except SystemExit:
        pass
    finally:
        profile.disable()
        profile.dump_stats(output)


if __name__ == "__main__":
    main()
