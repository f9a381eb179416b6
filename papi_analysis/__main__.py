import os
import sys

from papi_analysis.cli.main import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:  # the reader stopped early (`… | head`): no traceback; what it read was whole lines
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's advice: no second error at exit
    code = 1
sys.exit(code)
