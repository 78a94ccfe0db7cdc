"""Writes a small AgentBoard tool-query data folder for tests, in AgentBoard's formats:

  <data>/tool-query/academia/raw/{paper_net,author_net}.pkl   pickled networkx graphs keyed by ids
  <data>/tool-query/academia/raw/{title2id,id2title,author2id,id2author}_dict.pkl
  <data>/tool-query/test.jsonl                                  one episode per line

Three papers (0 cites 1 and 2) and three authors (Ada-Alan wrote papers 0 and 1, Alan-Grace
paper 2). Episodes: 0 a paper's year, 1 a co-author question, 2 a list answer, 3 a movie
question (a tool acbench does not run).

usage: python make_tool_query_data.py <data folder>
"""
import json
import os
import pickle
import sys

import networkx as nx

PAPERS = {0: "Graph Agents.", 1: "Tool Use at Scale", 2: "Compressed Models"}
AUTHORS = {10: "Ada Lovelace", 11: "Alan Turing", 12: "Grace Hopper"}


def graphs():
    papers = nx.Graph()
    papers.add_node(0, year=2021, venue="AAAI", n_citation=3, keywords=["agents"], doc_type="Conference")
    papers.add_node(1, year=2022, venue="ICML", n_citation=0, keywords=[], doc_type="Conference")
    papers.add_node(2, year=2020, venue="JMLR", n_citation=7, keywords=["compression"], doc_type="Journal")
    papers.add_edge(0, 1)
    papers.add_edge(0, 2)
    authors = nx.Graph()
    authors.add_node(10, name="Ada Lovelace", org="Analytical Engines")
    authors.add_node(11, name="Alan Turing", org="Bletchley Park")
    authors.add_node(12, name="Grace Hopper", org="US Navy")
    authors.add_edge(10, 11, collaborative_papers=[0, 1])
    authors.add_edge(11, 12, collaborative_papers=[2])
    return {"paper_net": papers, "author_net": authors, "id2title_dict": PAPERS, "id2author_dict": AUTHORS,
            "title2id_dict": {v: k for k, v in PAPERS.items()}, "author2id_dict": {v: k for k, v in AUTHORS.items()}}


def line(goal, subgoals, answer, tool, difficulty):
    return {"goal": goal, "subgoals": subgoals, "difficulty": difficulty,
            "additional_info": {"answer": answer, "init_config": None, "goal_type": 0, "tool": tool}}


EPISODES = [
    line("When was the paper Graph Agents. published?",
         ["PaperNet is loaded.", {"year": 2021, "venue": "AAAI", "n_citation": 3, "keywords": ["agents"], "doc_type": "Conference"}, 2021],
         2021, "academia", "easy"),
    line("Who wrote Compressed Models with Alan Turing?",
         ["AuthorNet is loaded.", ["Ada Lovelace", "Grace Hopper"], {"collaborative_papers": ["Compressed Models"]}, "Grace Hopper"],
         "Grace Hopper", "academia", "hard"),
    line("Who are Alan Turing's collaborators?",
         ["AuthorNet is loaded.", ["Ada Lovelace", "Grace Hopper"], ["Ada Lovelace", "Grace Hopper"]],
         ["Ada Lovelace", "Grace Hopper"], "academia", "easy"),
    line("Who directed Heat?", [1], "Michael Mann", "movie", "easy"),
]


def main(data):
    raw = os.path.join(data, "tool-query", "academia", "raw")
    os.makedirs(raw, exist_ok=True)
    for name, value in graphs().items():
        with open(os.path.join(raw, name + ".pkl"), "wb") as f:
            pickle.dump(value, f)
    with open(os.path.join(data, "tool-query", "test.jsonl"), "w") as f:
        f.write("".join(json.dumps(e) + "\n" for e in EPISODES))


if __name__ == "__main__":
    main(sys.argv[1])
