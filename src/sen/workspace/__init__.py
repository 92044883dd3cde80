"""The officer workspace: the queue, one dossier and its actions, intake at the desk."""
