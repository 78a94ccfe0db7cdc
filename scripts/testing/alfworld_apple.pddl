; acbench test fixture: a one-room ALFRED-domain problem (alfworld's alfred.pddl) in which the
; agent carries an apple from the countertop to the dining table. Names follow ALFRED's mangling
; (Type_bar_<x>_bar_<y>_bar_<z>) so alfworld's AlfredDemangler shows them as "apple 1" etc.
(define (problem plan_acbench_apple_to_diningtable)
(:domain alfred)
(:objects
        agent1 - agent
        AppleType - otype
        CounterTopType - rtype
        DiningTableType - rtype
        Apple_bar__minus_00_dot_50_bar__plus_00_dot_95_bar__plus_00_dot_20 - object
        CounterTop_bar__minus_00_dot_50_bar__plus_00_dot_90_bar__plus_00_dot_20 - receptacle
        DiningTable_bar__plus_01_dot_50_bar__plus_00_dot_75_bar__plus_01_dot_00 - receptacle
        loc_bar_0_bar_0_bar_0_bar_30 - location
        loc_bar__minus_1_bar_0_bar_3_bar_60 - location
        loc_bar_5_bar_4_bar_1_bar_60 - location
        )
(:init
        (atLocation agent1 loc_bar_0_bar_0_bar_0_bar_30)
        (receptacleAtLocation CounterTop_bar__minus_00_dot_50_bar__plus_00_dot_90_bar__plus_00_dot_20 loc_bar__minus_1_bar_0_bar_3_bar_60)
        (receptacleAtLocation DiningTable_bar__plus_01_dot_50_bar__plus_00_dot_75_bar__plus_01_dot_00 loc_bar_5_bar_4_bar_1_bar_60)
        (receptacleType CounterTop_bar__minus_00_dot_50_bar__plus_00_dot_90_bar__plus_00_dot_20 CounterTopType)
        (receptacleType DiningTable_bar__plus_01_dot_50_bar__plus_00_dot_75_bar__plus_01_dot_00 DiningTableType)
        (objectType Apple_bar__minus_00_dot_50_bar__plus_00_dot_95_bar__plus_00_dot_20 AppleType)
        (canContain CounterTopType AppleType)
        (canContain DiningTableType AppleType)
        (pickupable Apple_bar__minus_00_dot_50_bar__plus_00_dot_95_bar__plus_00_dot_20)
        (inReceptacle Apple_bar__minus_00_dot_50_bar__plus_00_dot_95_bar__plus_00_dot_20 CounterTop_bar__minus_00_dot_50_bar__plus_00_dot_90_bar__plus_00_dot_20)
        (objectAtLocation Apple_bar__minus_00_dot_50_bar__plus_00_dot_95_bar__plus_00_dot_20 loc_bar__minus_1_bar_0_bar_3_bar_60)
        )
(:goal
    (exists (?r - receptacle)
        (exists (?o - object)
            (and
                (objectType ?o AppleType)
                (receptacleType ?r DiningTableType)
                (inReceptacle ?o ?r)
            )
        )
    )
)
)
