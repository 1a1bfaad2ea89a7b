import NIOCore
import NIOPosix
import NIOHTTP1
import Logging
import Yams
