-- The text filter hands the list a component's matching ids (2,000 of 10,000 for a common word).
-- Looked up in the primary key, those ids are spread over every leaf of every component's
-- proposals (2.5 ms for 2,000 in 100,000 proposals); in a (component, id) index they are one
-- component's leaves (under 1 ms with the rows).
create index proposals_component_id_idx on public.proposals (component_id, id);

-- Same rule, one change: the component's visibility is checked on the row instead of being offered
-- to the planner as an index condition. As an index condition (`component_id = any (visible)`),
-- the planner costs every index led by component_id as one descent per visible component (its
-- estimate: 10 of them) and never chooses the index above, though the query names the component.
alter policy "visible proposals" on public.proposals
  using ((component_id = any ((select private.visible_component_ids())::uuid[])) is true
    and (
      -- Moderators see hidden proposals; drafts are their authors' only.
      (published_at is not null and space_id = any ((select private.moderated_space_ids())::uuid[]))
      or id = any ((select private.my_proposal_ids())::uuid[])
      -- A draft being inserted (`returning id`): its creator is made an author only after the row.
      or (published_at is null and author_id = (select auth.uid()))
      or (published_at is not null and hidden_at is null
          and (amends_id is null or not component_id = any ((select private.amendments_restricted_component_ids())::uuid[])
               -- Emendations of one's own proposals, whatever their visibility: the authors answer them.
               or amends_id = any ((select private.my_proposal_ids())::uuid[])))));
