//! The closed sets a row's kind, status, level or result is named from:
//! canonical stored names and the labels people see.

text_enum! {
    /// Where the write-up stands.
    WriteupStatus default Draft {
        /// Being written.
        Draft = "draft", "Draft";
        /// Ready for others to check.
        InReview = "in_review", "In review";
        /// Final; shows who published it and when.
        Published = "published", "Published";
    }
}

text_enum! {
    /// What a timeline entry records.
    TimelineKind default Observation {
        /// An alert fired.
        Alert = "alert", "Alert";
        /// Someone noticed something.
        Observation = "observation", "Observation";
        /// Someone did something.
        Action = "action", "Action";
        /// A choice was made.
        Decision = "decision", "Decision";
        /// Someone told someone.
        Communication = "communication", "Communication";
    }
}

text_enum! {
    /// What an evidence block holds.
    EvidenceKind default Other {
        /// Alert text as it fired.
        Alert = "alert", "Alert";
        /// Log excerpt.
        Log = "log", "Log excerpt";
        /// A metric reading.
        Metric = "metric", "Metric";
        /// A configuration diff.
        ConfigDiff = "config_diff", "Config diff";
        /// Anything else kept verbatim.
        Other = "other", "Other";
    }
}

text_enum! {
    /// What became of a hypothesis.
    HypothesisOutcome default Open {
        /// Still being tested.
        Open = "open", "Open";
        /// The evidence bore it out.
        Confirmed = "confirmed", "Confirmed";
        /// The evidence ruled it out.
        Refuted = "refuted", "Refuted";
    }
}

text_enum! {
    /// How deep a root cause lies.
    CauseLevel default Immediate {
        /// What directly broke.
        Immediate = "immediate", "Immediate";
        /// What made it possible or worse.
        Contributing = "contributing", "Contributing";
        /// The organisational or design reason.
        Systemic = "systemic", "Systemic";
    }
}

text_enum! {
    /// The team's answer to a root cause's verification question: "if we
    /// fix this, does it prevent a recurrence?"
    Prevents {
        /// Fixing it prevents a recurrence.
        Yes = "yes", "Yes";
        /// It makes a recurrence less likely or smaller.
        Partly = "partly", "Partly";
        /// Something else would bring it back.
        No = "no", "No";
    }
}

text_enum! {
    /// Whether a mitigation attempt helped.
    MitigationResult default Unknown {
        /// It stopped or reduced the impact.
        Worked = "worked", "Worked";
        /// It helped a little.
        Partial = "partial", "Partly worked";
        /// It did not help.
        Failed = "failed", "Did not work";
        /// Not known.
        Unknown = "unknown", "Unknown";
    }
}

text_enum! {
    /// What kind of lesson a learning is.
    LearningKind default Process {
        /// A named, recognisable incident pattern: symptoms, cause, detection, fix.
        Pattern = "pattern", "Incident pattern";
        /// How to diagnose faster.
        Diagnostic = "diagnostic", "Diagnostic lesson";
        /// How the team works.
        Process = "process", "Process lesson";
        /// How people behave and decide.
        Cultural = "cultural", "Cultural insight";
    }
}

text_enum! {
    /// How urgent an action item is.
    Priority default Medium {
        /// Do it now.
        High = "high", "High";
        /// Do it soon.
        Medium = "medium", "Medium";
        /// When there is time.
        Low = "low", "Low";
    }
}

text_enum! {
    /// Where an action item stands.
    ActionStatus default Open {
        /// Not started.
        Open = "open", "Open";
        /// Someone is on it.
        InProgress = "in_progress", "In progress";
        /// Finished.
        Done = "done", "Done";
        /// Decided against.
        WontDo = "wont_do", "Won't do";
    }
}

text_enum! {
    /// What an action item is for.
    ActionKind default Prevent {
        /// Reduce the impact if it happens again.
        Mitigate = "mitigate", "Mitigate";
        /// Stop it happening again.
        Prevent = "prevent", "Prevent";
        /// Notice it sooner.
        Detect = "detect", "Detect";
        /// Change how the team works.
        Process = "process", "Process";
    }
}

text_enum! {
    /// How two postmortems are related.
    LinkKind default Related {
        /// The target is an earlier occurrence of the same problem.
        EarlierOccurrence = "earlier_occurrence", "Earlier occurrence";
        /// The target is related in another way.
        Related = "related", "Related";
    }
}
