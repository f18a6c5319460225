package dev.stevedore.awsproto;

/**
 * How a Query-style protocol names the form parameters of a request: EC2's variant and the plain
 * Query protocol of IAM, STS and ELBv2 send the same kind of request, but spell members and lists
 * differently (botocore's {@code EC2Serializer} and {@code QuerySerializer}, and the AWS SDKs, agree on
 * both spellings).
 */
enum FormDialect {

    /**
     * EC2: a member is its {@code queryName}, else its {@code locationName} capitalised, else its name;
     * a list is always flattened, {@code Name.N}, whatever the model says; a parameter the input shape
     * does not have is refused.
     */
    EC2 {
        @Override
        String parameterName(Member member) {
            return member.ec2ParameterName();
        }

        @Override
        String listElements(String name, Member reference, Shape list) {
            return name;
        }
    },

    /**
     * Query: a member is its {@code locationName}, else its name; a list is {@code Name.member.N}
     * (the list member's {@code locationName} in place of {@code member}) unless it is flattened, then
     * {@code Name.N}; a map is {@code Name.entry.N.key} and {@code Name.entry.N.value} ({@code Name.N.key}
     * when flattened). Parameters the input shape does not have are ignored: a newer client may send
     * members this model does not know yet.
     */
    QUERY {
        @Override
        String parameterName(Member member) {
            return member.wireName();
        }

        @Override
        String listElements(String name, Member reference, Shape list) {
            return flattened(reference, list) ? name
                    : name + "." + list.member().orElseThrow().locationName().orElse("member");
        }
    };

    /** The parameter name of a structure member, relative to its structure's prefix. */
    abstract String parameterName(Member member);

    /** The prefix under which a list's elements are numbered from 1. */
    abstract String listElements(String name, Member reference, Shape list);

    /** The prefix under which a map's entries are numbered from 1; EC2 has no map in its model. */
    String mapEntries(String name, Member reference, Shape map) {
        return flattened(reference, map) ? name : name + ".entry";
    }

    /** Whether a parameter the input shape does not have is an error. */
    boolean refusesUnknownParameters() {
        return this == EC2;
    }

    private static boolean flattened(Member reference, Shape collection) {
        return reference.flattened() || collection.flattened();
    }
}
