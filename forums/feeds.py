"""Atom feeds of the boards: their newest threads, in Thai."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from forums import selectors


class BoardFeed(Feed):
    feed_type = Atom1Feed
    language = "th"

    def get_object(self, request, slug):
        return selectors.board_by_slug(slug=slug)

    def title(self, board):
        return _("%(board)s · LAO Portal webboard") % {"board": board.name}

    def link(self, board):
        return board.get_absolute_url()

    def subtitle(self, board):
        return board.description

    def items(self, board):
        return selectors.feed_threads(board=board)

    def item_title(self, thread):
        return thread.title

    def item_description(self, thread):
        # Stored HTML of the opening post, already cleaned by units.markdown on save.
        return thread.opening[0].body_html if thread.opening else ""

    def item_author_name(self, thread):
        return thread.author.get_username()

    def item_pubdate(self, thread):
        return thread.created_at

    def item_updateddate(self, thread):
        return thread.last_post_at
