"""Mirror case events to MoEngage through the spool's outbox.

`payloads` builds the outbox row when a case is recorded (pure); `client` is the HTTP edge and classifies
MoEngage's answers; `sender` claims due events and sends each until MoEngage accepts or refuses it.
"""
