"""The chair's workspace: the steps of a conference, presentation mode, undo and the shortcut sheet."""
