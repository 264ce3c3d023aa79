def test_network_is_provisioned(network):
    branch = network["pukou"]
    assert branch.name == "醴陵市文化馆浦口分馆"
    assert branch.page.get_parent().specific.venue == network["liling"]
    assert branch.editors_group.name == "醴陵市文化馆浦口分馆编辑"
