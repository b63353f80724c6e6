import os
import sys

MAIN_PC_CODE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, MAIN_PC_CODE)
