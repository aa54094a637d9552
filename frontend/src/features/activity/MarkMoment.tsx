import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';

import { sendJson } from '../../api';
import { ErrorNotice } from '../../components/PageState';
import { annotationsKey } from '../dashboards/annotations';

/** Marks a moment ("deploy", "incident") on every time-series chart of the team. Members and up. */
export function MarkMoment({ teamId }: { readonly teamId: number }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [at, setAt] = useState('');
  const [tags, setTags] = useState('');
  const mark = useMutation({
    mutationFn: () =>
      sendJson(
        'POST',
        `/api/teams/${teamId}/annotations`,
        {
          text: text.trim(),
          at: at === '' ? null : new Date(at).toISOString(),
          tags: tags
            .split(',')
            .map((tag) => tag.trim())
            .filter((tag) => tag !== ''),
        },
        (value: unknown) => value,
      ),
    onSuccess: () => {
      setText('');
      setAt('');
      setTags('');
      void queryClient.invalidateQueries({ queryKey: annotationsKey(teamId) });
    },
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (text.trim() !== '') {
      mark.mutate();
    }
  };
  return (
    <form className="card mark-moment" onSubmit={submit} data-testid="mark-moment">
      <h2>Mark a moment</h2>
      <p className="muted small">A deploy, an incident: a dashed line on the team&rsquo;s time-series charts.</p>
      <input
        className="input"
        value={text}
        maxLength={2000}
        placeholder="What happened"
        aria-label="What happened"
        data-testid="mark-text"
        onChange={(event) => {
          setText(event.target.value);
        }}
      />
      <input
        className="input"
        type="datetime-local"
        value={at}
        aria-label="When (now if empty)"
        onChange={(event) => {
          setAt(event.target.value);
        }}
      />
      <input
        className="input"
        value={tags}
        placeholder="Tags, comma-separated"
        aria-label="Tags"
        onChange={(event) => {
          setTags(event.target.value);
        }}
      />
      <button type="submit" className="button" disabled={mark.isPending || text.trim() === ''} data-testid="mark-submit">
        Mark
      </button>
      {mark.isError && <ErrorNotice error={mark.error} prefix="Not marked" />}
    </form>
  );
}
