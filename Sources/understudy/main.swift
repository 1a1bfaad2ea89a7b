import UnderstudyServer
import ArgumentParser
import Logging
print("x")
