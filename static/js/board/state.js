// Board state shared by the projected board and the facilitator's page: the workshop, its themes
// and ideas, loaded from a snapshot and kept up to date by applying each event.

export class BoardState {
  constructor() {
    this.workshop = null;
    this.themes = new Map();
    this.ideas = new Map();
  }

  load(snapshot) {
    this.workshop = snapshot.workshop;
    this.themes = new Map(snapshot.themes.map((t) => [t.id, t]));
    this.ideas = new Map(snapshot.ideas.map((i) => [i.id, i]));
  }

  apply({ kind, data }) {
    switch (kind) {
      case "idea_added":
      case "idea_unhidden":
        this.ideas.set(data.idea.id, { ...(this.ideas.get(data.idea.id) || {}), ...data.idea, hidden: false, held: false });
        break;
      case "idea_held":
        this.ideas.set(data.idea.id, data.idea);
        break;
      case "idea_hidden": {
        const idea = this.ideas.get(data.idea_id);
        if (idea) {
          idea.hidden = true;
          idea.hidden_reason = data.reason || null;
        }
        break;
      }
      case "idea_moved": {
        const idea = this.ideas.get(data.idea_id);
        if (idea) idea.theme_id = data.theme_id;
        break;
      }
      case "theme_renamed": {
        const theme = this.themes.get(data.theme_id);
        if (theme) theme.name = data.name;
        break;
      }
      case "theme_locked": {
        const theme = this.themes.get(data.theme_id);
        if (theme) theme.locked = data.locked;
        break;
      }
      case "ideas_merged":
        for (const id of data.merged_ids) {
          const idea = this.ideas.get(id);
          if (idea) idea.merged_into_id = data.idea_id;
        }
        break;
      case "themes_updated":
        this.themes = new Map(data.themes.map((t) => [t.id, t]));
        for (const [ideaId, themeId] of Object.entries(data.assignments)) {
          const idea = this.ideas.get(Number(ideaId));
          if (idea) idea.theme_id = themeId;
        }
        break;
      case "workshop_updated":
        this.workshop = { ...this.workshop, ...data };
        break;
    }
  }

  // Ideas merged into this one as near-duplicates: shown with it, each with its own text.
  duplicatesOf(idea) {
    return [...this.ideas.values()].filter((i) => i.merged_into_id === idea.id && !i.hidden);
  }

  // Themes in board order, each with its visible ideas; ideas without a live theme go to "new".
  groups({ includeHidden = false, questionId = null } = {}) {
    const byTheme = new Map();
    const fresh = [];
    for (const idea of this.ideas.values()) {
      if (idea.hidden && !includeHidden) continue;
      if (idea.held) continue;
      if (questionId && idea.question_id !== questionId) continue;
      if (idea.merged_into_id && this.ideas.has(idea.merged_into_id)) continue;
      const theme = this.themes.get(idea.theme_id);
      if (theme) {
        if (!byTheme.has(theme.id)) byTheme.set(theme.id, []);
        byTheme.get(theme.id).push(idea);
      } else {
        fresh.push(idea);
      }
    }
    const themes = [...this.themes.values()]
      .sort((a, b) => a.position - b.position)
      .map((theme) => ({ theme, ideas: (byTheme.get(theme.id) || []).sort((a, b) => a.id - b.id) }))
      .filter((g) => g.ideas.length > 0 || (g.theme.locked && !questionId));
    return { themes, fresh: fresh.sort((a, b) => a.id - b.id) };
  }
}
