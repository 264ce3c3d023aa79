"""{% media_playback asset as playback %}: an asset's status and playback links for its page."""

from django import template

from media_pipeline.playback import playback_for

register = template.Library()


@register.simple_tag
def media_playback(asset):
    return playback_for(asset)
