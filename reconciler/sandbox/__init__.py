"""A local emulator of the ColdSend, easymail and Inbox HTTP APIs (shared/api/*.md).

The sandbox is a product feature (``camp sandbox``) and imports nothing from the client side of
camp, so that the client and the emulator cannot agree on a rule by accident.
"""
