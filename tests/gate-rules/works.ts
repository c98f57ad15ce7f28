/** Works the matcher tests share: real-looking titles with the aliases rights holders would register. */
import type { WorkForMatching } from "@/server/works/matcher";

export const WORKS: WorkForMatching[] = [
  { id: "naruto", title: "Naruto", aliases: [{ text: "NARUTO -ナルト-", lang: "ja" }, { text: "火影忍者", lang: "zh-Hans" }, { text: "ナルト", lang: "ja" }, { text: "나루토", lang: "ko" }], policy: "block" },
  { id: "up", title: "Up", aliases: [], policy: "review" },
  { id: "pokemon", title: "Pokémon", aliases: [{ text: "ポケモン", lang: "ja" }], policy: "block" },
  { id: "demon-slayer", title: "Demon Slayer", aliases: [{ text: "鬼灭之刃", lang: "zh-Hans" }, { text: "鬼滅の刃", lang: "ja" }], policy: "review" },
  { id: "spider-man", title: "Spider-Man", aliases: [], policy: "block" },
  { id: "heat", title: "Heat", aliases: [], policy: "block" },
  { id: "alien", title: "Alien", aliases: [], policy: "block" },
  { id: "avatar", title: "Avatar", aliases: [], policy: "block" },
  { id: "se7en", title: "Se7en", aliases: [], policy: "block" },
  { id: "hill-house", title: "Hill House", aliases: [], policy: "review" },
  { id: "lilo", title: "Lilo", aliases: [], policy: "review" },
  { id: "tom-yum-goong", title: "Tom-Yum-Goong", aliases: [{ text: "ต้มยำกุ้ง", lang: "th" }], policy: "review" },
  { id: "bunny", title: "Big Buck Bunny", aliases: [], policy: "allow" },
  { id: "m", title: "M", aliases: [], policy: "block" },
];
