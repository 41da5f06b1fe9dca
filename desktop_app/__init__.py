"""Order Desk: draft, check and send ColdMailReseller orders from the desktop."""

APP_NAME = "Order Desk"
APP_ID = "order-desk"
__version__ = "0.1.0"
