-- Proposals take attachments (Decidim's `attachments_allowed`): their authors add documents and
-- photos while the component's global setting allows it and the proposal is neither withdrawn
-- nor hidden; the space's admins always may (official proposals, cleaning up). Seen where the
-- proposal is seen (drafts by their authors, hidden ones by moderators): the shared layer asks
-- `can_view_proposal`.
create or replace function private.proposal_attach_space(proposal uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select p.space_id from public.proposals p join public.components c on c.id = p.component_id
  where p.id = proposal and private.can_view_component(c.id) and (
    private.has_space_role(p.space_id, 'admin')
    or (private.bool_setting(c.settings, 'attachments_allowed', false)
        and p.withdrawn_at is null and p.hidden_at is null and private.is_proposal_author(p.id)))
$$;
revoke all on function private.proposal_attach_space(uuid) from public, anon, authenticated;

update public.resource_types
set capabilities = array_append(array_remove(capabilities, 'attachable'), 'attachable'),
    attach_space = 'private.proposal_attach_space(uuid)'
where resource_type = 'proposal';
