-- The dashboard's inbox: when an agent of the business last read each conversation. Inbound messages after it are
-- unread; a conversation never read has every inbound message unread.
ALTER TABLE conversation ADD COLUMN read_at timestamptz;
